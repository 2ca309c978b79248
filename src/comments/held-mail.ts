// The moderators' mail about held comments. One mail per comment, recorded in
// comments.held_mail after it was sent, so a redelivered message never mails
// twice. When more than HELD_MAIL_LIMIT arrive within HELD_MAIL_WINDOW_MS, the
// rest wait for one digest, which the 10-minute cron sends (a cron rather than
// "the first comment after the window": a flood that simply stops would
// otherwise never be reported).
import { getCommentSettings, getMailSettings, getSiteSettings, type SiteSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { EDITOR_ADDRESS, getTranslator, type Translate } from "../i18n";
import { defangText } from "../mail/defang";
import { type MailPart, sendMail } from "../mail/send";
import { getHeldMailFacts, listTakenDigest, setDigested, setHeldMail, takeDigestComments } from "./held-mail-queries";
import { recordDigestFailure } from "./mail-failures";
import type { CommentMessage } from "./message";
import { describeReasons } from "./reason-text";
import type { ModerationReason } from "./rules";

export const HELD_MAIL_LIMIT = 10;
const HELD_MAIL_WINDOW_MS = 600_000;
/** A digest names at most this many comments and counts the rest, which the admin lists. */
const DIGEST_MAX = 100;

/** What sending the moderators' mail needs; null in the effects when it is off. */
export interface ModeratorMailer {
  binding: SendEmail;
  from: string;
  to: string;
  site: SiteSettings;
  firstTimeMode: boolean;
}

// Nobody has checked what the commenter wrote yet: their name and text go out
// defanged, as plain paragraphs; only the site's own URLs are links.
function heldMailText(
  t: Translate,
  m: ModeratorMailer,
  message: CommentMessage,
  reasons: ModerationReason[],
  article: { title: string; slug: string },
): MailPart[] {
  return [
    t("mailHeldIntro", { author: defangText(message.author), title: article.title }),
    { link: `${m.site.url}/articles/${article.slug}` },
    defangText(message.comment),
    `${t("mailHeldWhy")}\n${describeReasons(t, JSON.stringify(reasons), "pending", m.firstTimeMode)
      .map((r) => `– ${defangText(r)}`)
      .join("\n")}`,
    t("mailHeldModerate"),
    { link: `${m.site.url}/admin/comments/${message.id}` },
  ];
}

/** A held comment of a queue batch, with why it was held. */
export interface HeldComment {
  message: CommentMessage;
  reasons: ModerationReason[];
}

/**
 * Tells the moderators of the held comments of one queue batch: one mail
 * each, except those they were told of already (a redelivery) and those past
 * HELD_MAIL_LIMIT in the window, which wait for the digest. One round trip
 * reads, one records; returns the comments whose mail the binding refused,
 * with the error (not recorded as told: a retry of their message mails again).
 */
export async function mailHeldComments(db: Db, m: ModeratorMailer, held: readonly HeldComment[], now: number): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  if (held.length === 0) return failed;
  const facts = await getHeldMailFacts(db, {
    ids: held.map((h) => h.message.id),
    articleIds: [...new Set(held.map((h) => h.message.articleId))],
    since: now - HELD_MAIL_WINDOW_MS,
  });
  const t = getTranslator(m.site.defaultLang, EDITOR_ADDRESS);
  const states = { sent: [] as string[], digest: [] as string[] };
  let sent = facts.sentSince;
  for (const { message, reasons } of held) {
    if (facts.told.has(message.id) || states.sent.includes(message.id) || states.digest.includes(message.id)) continue;
    if (sent >= HELD_MAIL_LIMIT) {
      states.digest.push(message.id);
      continue;
    }
    const article = facts.articles.get(message.articleId) ?? { title: String(message.articleId), slug: "" };
    try {
      // The subject names the article only: never the commenter's name or address.
      await sendMail(m.binding, m.from, {
        to: m.to,
        subject: t("mailHeldSubject", { title: article.title }),
        paragraphs: heldMailText(t, m, message, reasons, article),
      });
      states.sent.push(message.id);
      sent += 1;
    } catch (err) {
      failed.set(message.id, err);
    }
  }
  await setHeldMail(db, states, now);
  return failed;
}

/**
 * The cron's part: one mail about the held comments that waited for a digest,
 * naming the oldest DIGEST_MAX and counting the rest; returns how many it
 * reported. It takes what waits first and marks exactly that afterwards, so a
 * comment held meanwhile goes into the next digest, and a failed send leaves
 * all of it for the next try (recorded, given up after MAIL_MAX_TRIES).
 */
async function sendHeldDigest(db: Db, m: ModeratorMailer, run: number): Promise<number> {
  await takeDigestComments(db, run, run);
  const { rows, total } = await listTakenDigest(db, run, DIGEST_MAX);
  if (total > 0) {
    const t = getTranslator(m.site.defaultLang, EDITOR_ADDRESS);
    const lines = rows.map((r) => `– ${defangText(r.author)}: „${r.title}“\n  ${m.site.url}/admin/comments/${r.id}`);
    const more = total > rows.length ? [t("mailDigestMore", { n: total - rows.length })] : [];
    const paragraphs = [t("mailDigestIntro"), lines.join("\n"), ...more, t("mailDigestAll"), { link: `${m.site.url}/admin?status=pending` }];
    try {
      await sendMail(m.binding, m.from, { to: m.to, subject: t("mailDigestSubject", { n: total }), paragraphs });
    } catch (err) {
      await recordDigestFailure(db, run, err, run);
      console.error(`the digest of ${total} held comments was not sent; the next run tries again`, err);
      return 0;
    }
  }
  await setDigested(db, run, run);
  return total;
}

/** The moderators' mailer from the env, or null when EMAIL_FROM or MODERATION_EMAIL is empty. */
export function getModeratorMailer(env: Env, site: SiteSettings, firstTimeMode: boolean): ModeratorMailer | null {
  const mail = getMailSettings(env);
  return mail.from && mail.moderators ? { binding: env.EMAIL, from: mail.from, to: mail.moderators, site, firstTimeMode } : null;
}

/** The digest cron: sends what waits for it; nothing when mail is off. */
export async function handleHeldDigest(env: Env, now: number): Promise<number> {
  const mailer = getModeratorMailer(env, getSiteSettings(env), getCommentSettings(env).moderation === "first_time");
  return mailer ? sendHeldDigest(getDb(env.DB), mailer, now) : 0;
}
