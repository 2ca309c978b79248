// Mail to commenters who ticked "notify me". First one confirmation mail with
// a signed link (double opt-in: anyone can type any address into the form),
// and nothing else until it was followed; then one mail when their comment is
// approved and one for each approved reply to it. The database says what is
// due (asked for, confirmed, approved, not yet sent), so any path that
// approves (web, API, CLI, first_time auto-approval) leads to the same mail,
// and the cron sends what an approval made from the CLI (no binding there) or
// a failed send left. Each mail is tried on its own (mail-failures.ts).
import { getCommentSettings, getMailSettings, getSiteSettings, type SiteSettings } from "../config";
import { type Db, getDb } from "../db/client";
import type { MailKind } from "../db/schema";
import { getTranslator, type Translate } from "../i18n";
import type { Mail } from "../mail/send";
import { sendCommentMail } from "./mail-failures";
import { buildMailLink, MAIL_LINK_DAYS } from "./mail-links";
import { listApprovalMails, listConfirmMails, listReplyMails, setApprovalMailed, setConfirmMailed, setReplyMailed } from "./reader-mail-queries";

export interface ReaderMailer {
  binding: SendEmail;
  from: string;
  site: SiteSettings;
  /** Signs the links in the mail (FORM_SECRET, with its own prefix). */
  secret: string;
}

/** The EMAIL binding, or undefined when wrangler.toml declares none. */
function getEmailBinding(env: Env): SendEmail | undefined {
  return env.EMAIL;
}

/** The commenters' mailer from the env, or null when no mail can be sent (EMAIL_FROM empty, or no EMAIL binding). */
export function getReaderMailer(env: Env): ReaderMailer | null {
  const from = getMailSettings(env).from;
  const binding = getEmailBinding(env);
  return from && binding ? { binding, from, site: getSiteSettings(env), secret: getCommentSettings(env).formSecret } : null;
}

/**
 * Whether a commenter may ask for mail (the form's "notify me"): only when
 * mail can be sent, or the box would promise a confirmation that never comes.
 * A malformed EMAIL_FROM offers none (logged, naming the var).
 */
export function canMailCommenters(env: Env): boolean {
  try {
    return getMailSettings(env).from !== null && getEmailBinding(env) !== undefined;
  } catch (err) {
    console.error("commenters' mail is off:", err);
    return false;
  }
}

/** Sends one mail and records it as sent with `markSent`; a refusal is recorded for a later try. Returns 1 when sent. */
async function deliver(db: Db, m: ReaderMailer, ref: { commentId: string; kind: MailKind }, mail: Mail, markSent: () => Promise<void>, now: number) {
  if (!(await sendCommentMail(m.binding, m.from, db, ref, mail, now))) return 0;
  await markSent();
  return 1;
}

/** The close of every notification: the unsubscribe link, fresh in each mail. */
async function unsubscribeClosing(t: Translate, m: ReaderMailer, commentId: string, now: number) {
  const url = await buildMailLink(m.site.url, m.secret, "unsubscribe", commentId, now);
  return { paragraphs: [t("mailUnsubscribe", { days: MAIL_LINK_DAYS.unsubscribe }), { link: url }], url };
}

/**
 * Asks the authors of the given comments (all that are due when `ids` is
 * null) to confirm their address. The mail holds nothing a commenter wrote,
 * so a typed-in stranger's address receives only the site's own words.
 */
export async function mailConfirmations(db: Db, m: ReaderMailer, ids: string[] | null, now: number): Promise<number> {
  if (ids?.length === 0) return 0;
  let sent = 0;
  for (const c of await listConfirmMails(db, ids, now)) {
    const t = getTranslator(c.lang, m.site.formOfAddress);
    const url = await buildMailLink(m.site.url, m.secret, "confirm", c.id, now);
    const paragraphs = [
      t("mailConfirmIntro", { title: c.title }),
      t("mailConfirmAction", { days: MAIL_LINK_DAYS.confirm }),
      { link: url },
      t("mailConfirmIgnore"),
    ];
    const mail = { to: c.email, subject: t("mailConfirmSubject", { title: c.title }), paragraphs };
    sent += await deliver(db, m, { commentId: c.id, kind: "confirm" }, mail, () => setConfirmMailed(db, c.id, now), now);
  }
  return sent;
}

/**
 * Sends the mails that the given comments' approval made due (all due mails
 * when `ids` is null), each recorded right after it went out.
 */
export async function mailApprovedComments(db: Db, m: ReaderMailer, ids: string[] | null, now: number): Promise<number> {
  if (ids?.length === 0) return 0;
  let sent = 0;
  for (const c of await listApprovalMails(db, ids, now)) {
    const t = getTranslator(c.lang, m.site.formOfAddress);
    const end = await unsubscribeClosing(t, m, c.id, now);
    const paragraphs = [
      t("mailApprovedIntro", { author: c.author, title: c.title }),
      c.text,
      { link: `${m.site.url}/articles/${c.slug}#comment-${c.id}` },
      ...end.paragraphs,
    ];
    const mail = { to: c.email, subject: t("mailApprovedSubject", { title: c.title }), paragraphs, unsubscribeUrl: end.url };
    sent += await deliver(db, m, { commentId: c.id, kind: "approval" }, mail, () => setApprovalMailed(db, c.id, now), now);
  }
  for (const r of await listReplyMails(db, ids, now)) {
    // Answering oneself is no news.
    if (r.email.toLowerCase() === r.replierEmail.toLowerCase()) {
      await setReplyMailed(db, r.id, now);
      continue;
    }
    const t = getTranslator(r.lang, m.site.formOfAddress);
    const end = await unsubscribeClosing(t, m, r.parentId, now);
    const paragraphs = [
      t("mailReplyIntro", { author: r.author, replier: r.replier, title: r.title }),
      r.text,
      { link: `${m.site.url}/articles/${r.slug}#comment-${r.id}` },
      ...end.paragraphs,
    ];
    const mail = { to: r.email, subject: t("mailReplySubject", { title: r.title }), paragraphs, unsubscribeUrl: end.url };
    sent += await deliver(db, m, { commentId: r.id, kind: "reply" }, mail, () => setReplyMailed(db, r.id, now), now);
  }
  return sent;
}

/** The cron's sweep: whatever is still due, confirmations first. */
export async function handleReaderMailSweep(env: Env, now: number): Promise<number> {
  const mailer = getReaderMailer(env);
  if (!mailer) return 0;
  const db = getDb(env.DB);
  return (await mailConfirmations(db, mailer, null, now)) + (await mailApprovedComments(db, mailer, null, now));
}
