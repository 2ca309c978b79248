// Mail to commenters who ticked "notify me": one when their comment is
// approved, one for each approved reply to it. The database says what is due
// (approved, asked for, not yet sent), so any path that approves (web, API,
// CLI, first_time auto-approval) leads to the same mail, and the cron sends
// what an approval made from the CLI (no binding there) or a failed send left.
import { getCommentSettings, getMailSettings, getSiteSettings, type SiteSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { getTranslator, type Translate } from "../i18n";
import { signHmac, verifyHmac } from "../lib/crypto";
import { type MailPart, sendMail } from "../mail/send";
import { listApprovalMails, listReplyMails, setApprovalMailed, setReplyMailed } from "./reader-mail-queries";

export interface ReaderMailer {
  binding: SendEmail;
  from: string;
  site: SiteSettings;
  /** Signs the unsubscribe links (FORM_SECRET, with its own prefix). */
  secret: string;
}

/** The commenters' mailer from the env, or null when EMAIL_FROM is empty. */
export function getReaderMailer(env: Env): ReaderMailer | null {
  const from = getMailSettings(env).from;
  return from ? { binding: env.EMAIL, from, site: getSiteSettings(env), secret: getCommentSettings(env).formSecret } : null;
}

const unsubscribeMessage = (id: string) => `unsubscribe|${id}`;

/** The link that stops mail about one comment, signed so it works without logging in. */
export async function getUnsubscribeUrl(m: ReaderMailer, commentId: string): Promise<string> {
  const sig = await signHmac(m.secret, unsubscribeMessage(commentId));
  return `${m.site.url}/comments/unsubscribe?c=${encodeURIComponent(commentId)}&sig=${sig}`;
}

/** Whether `sig` is this comment's unsubscribe signature. */
export function verifyUnsubscribe(secret: string, commentId: string, sig: string): Promise<boolean> {
  return verifyHmac(secret, unsubscribeMessage(commentId), sig);
}

async function closing(t: Translate, m: ReaderMailer, commentId: string): Promise<{ lines: MailPart[]; url: string }> {
  const url = await getUnsubscribeUrl(m, commentId);
  return { lines: [t("mailUnsubscribe"), { link: url }], url };
}

/**
 * Sends the mails that the given comments' approval made due (all due mails
 * when `ids` is null), each recorded right after it went out.
 */
export async function mailApprovedComments(db: Db, m: ReaderMailer, ids: string[] | null, now: number): Promise<number> {
  if (ids?.length === 0) return 0;
  let sent = 0;
  for (const c of await listApprovalMails(db, ids)) {
    const t = getTranslator(c.lang);
    const end = await closing(t, m, c.id);
    const paragraphs = [
      t("mailApprovedIntro", { author: c.author, title: c.title }),
      c.text,
      { link: `${m.site.url}/articles/${c.slug}#comment-${c.id}` },
      ...end.lines,
    ];
    await sendMail(m.binding, m.from, { to: c.email, subject: t("mailApprovedSubject", { title: c.title }), paragraphs, unsubscribeUrl: end.url });
    await setApprovalMailed(db, c.id, now);
    sent += 1;
  }
  for (const r of await listReplyMails(db, ids)) {
    // Answering oneself is no news.
    if (r.email.toLowerCase() !== r.replierEmail.toLowerCase()) {
      const t = getTranslator(r.lang);
      const end = await closing(t, m, r.parentId);
      const paragraphs = [
        t("mailReplyIntro", { author: r.author, replier: r.replier, title: r.title }),
        r.text,
        { link: `${m.site.url}/articles/${r.slug}#comment-${r.id}` },
        ...end.lines,
      ];
      await sendMail(m.binding, m.from, { to: r.email, subject: t("mailReplySubject", { title: r.title }), paragraphs, unsubscribeUrl: end.url });
      sent += 1;
    }
    await setReplyMailed(db, r.id, now);
  }
  return sent;
}

/** After a moderator's action: the mail it made due; a failed send is logged and left to the cron. */
export async function mailAfterModeration(env: Env, db: Db, ids: string[], now: number): Promise<void> {
  const mailer = getReaderMailer(env);
  if (!mailer) return;
  try {
    await mailApprovedComments(db, mailer, ids, now);
  } catch (err) {
    console.error("commenter mail failed; the cron sends it later", err);
  }
}

/** The cron's sweep: whatever is still due. */
export async function handleReaderMailSweep(env: Env, now: number): Promise<number> {
  const mailer = getReaderMailer(env);
  return mailer ? mailApprovedComments(getDb(env.DB), mailer, null, now) : 0;
}
