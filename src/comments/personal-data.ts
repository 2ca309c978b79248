// A commenter's own data on request (Art. 15 and 17 DSGVO), one function per
// action, shared by the "your data" page (src/routes/my-data.tsx), the API and
// the CLI (by letter): a signed link by mail to whoever can read the address,
// the export of everything stored under it, and its erasure (one batch, then
// the purge of the pages that showed it, through purgeThenMail as every
// moderation). Nothing here tells whether an address is known: a link is
// mailed only where there is something to show, after the same answer.
import type { DataRequestChannel, Language } from "../db/schema";
import { getTranslator } from "../i18n";
import { InvalidInputError } from "../lib/errors";
import { sendMail } from "../mail/send";
import { buildDataLink, checkDataLink, DATA_LINK_HOURS, type DataLinkCheck } from "./data-link";
import { type FieldProblem, parseCommenterEmail } from "./message";
import { eraseStoredData, getLastErasure, hasCommentsByEmail, listStoredData, logExport, recordLinkRequest, type StoredComment } from "./personal-data-queries";
import type { ReaderMailer } from "./reader-mail";
import { type CommentPlatform, type ModerationOutcome, purgeThenMail } from "./service";
import { hashClientIp, hashCommenterEmail } from "./submit";

/** The secrets the address and the links are hashed and sealed with (IP_HASH_SALT, FORM_SECRET). */
export interface PersonalDataKeys {
  ipSalt: string;
  formSecret: string;
}

const EMAIL_PROBLEMS: Partial<Record<FieldProblem["code"], string>> = {
  required: "is required",
  too_long: "is too long for an address a comment can have",
  control_characters: "is not an e-mail address",
};

/** The address as typed (API, CLI), checked as the comment form checks it; throws InvalidInputError naming the field. */
export function readRequestedEmail(value: unknown): string {
  const parsed = parseCommenterEmail(value);
  if (parsed.ok) return parsed.email;
  throw new InvalidInputError({ email: EMAIL_PROBLEMS[parsed.problem.code] ?? "is not an e-mail address" });
}

export type LinkRequestResult = { kind: "accepted" } | { kind: "throttled"; retryAfterSeconds: number };

/**
 * A reader asked for the link to their data: counted against the address and
 * the client (atomically), then, after the caller has answered, mailed when
 * the address has comments. The answer is the same either way; `defer` runs
 * the look-up and the mail after it (the Worker's waitUntil), so not even
 * its time tells.
 */
export async function requestDataLink(
  p: CommentPlatform,
  keys: PersonalDataKeys,
  req: { email: string; ip: string | null; lang: Language },
  defer: (work: Promise<unknown>) => void,
): Promise<LinkRequestResult> {
  const [emailHash, clientHash] = await Promise.all([hashCommenterEmail(keys.ipSalt, req.email), req.ip ? hashClientIp(keys.ipSalt, req.ip) : null]);
  const recorded = await recordLinkRequest(p.db, { emailHash, clientHash, now: p.now });
  if (!recorded.recorded) return { kind: "throttled", retryAfterSeconds: recorded.retryAfterSeconds };
  const mailer = p.notices?.readerMail ?? null;
  if (mailer) defer(mailLinkIfKnown(p, mailer, req.email, req.lang).catch((err) => console.error("the data link mail failed:", String(err))));
  return { kind: "accepted" };
}

async function mailLinkIfKnown(p: CommentPlatform, m: ReaderMailer, email: string, lang: Language): Promise<void> {
  if (!(await hasCommentsByEmail(p.db, email))) return;
  const t = getTranslator(lang, m.site.formOfAddress);
  const link = await buildDataLink(m.site.url, m.secret, email, p.now);
  const paragraphs = [t("mailDataIntro", { site: m.site.title }), t("mailDataAction", { hours: DATA_LINK_HOURS }), { link }, t("mailDataIgnore")];
  await sendMail(m.binding, m.from, { to: email, subject: t("mailDataSubject", { site: m.site.title }), paragraphs });
}

/** A link from the mail, checked: valid (the address it opens), or why not; a link older than the address's last erasure is spent. */
export type OpenedDataLink = Exclude<DataLinkCheck, { status: "valid" }> | { status: "spent" } | { status: "valid"; email: string; token: string };

export async function openDataLink(p: CommentPlatform, keys: PersonalDataKeys, token: unknown): Promise<OpenedDataLink> {
  const check = await checkDataLink(keys.formSecret, token, p.now);
  if (check.status !== "valid") return check;
  const erased = await getLastErasure(p.db, await hashCommenterEmail(keys.ipSalt, check.email));
  if (erased !== null && erased >= check.issuedAt) return { status: "spent" };
  return { status: "valid", email: check.email, token: check.token };
}

/** Everything stored under the address, as the page lists it. */
export async function listPersonalData(p: CommentPlatform, keys: PersonalDataKeys, email: string) {
  return listStoredData(p.db, email, await hashCommenterEmail(keys.ipSalt, email));
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function exportComment(siteUrl: string, c: StoredComment) {
  return {
    id: c.id,
    article: { title: c.article.title, url: `${siteUrl}/articles/${c.article.slug}` },
    replyTo: c.parentId,
    status: c.status,
    author: c.author,
    email: c.email,
    website: c.url,
    text: c.bodyRaw,
    submittedAt: iso(c.createdAt),
    decidedAt: iso(c.decidedAt),
    ipHash: c.ipHash,
    userAgent: c.userAgent,
  };
}

/**
 * Everything stored under the address, as JSON for the commenter (Art. 15,
 * and 20: machine-readable), recorded in the request log. Comments of any
 * status with their article, the mail subscriptions, flood records and the
 * messages the queue could not store.
 */
export async function exportPersonalData(p: CommentPlatform, keys: PersonalDataKeys, req: { email: string; siteUrl: string; via: DataRequestChannel }) {
  const emailHash = await hashCommenterEmail(keys.ipSalt, req.email);
  const data = await listStoredData(p.db, req.email, emailHash);
  const subscriptions = data.comments.filter((c) => c.notifyReplies);
  await logExport(p.db, { via: req.via, emailHash, comments: data.comments.length, subscriptions: subscriptions.length, now: p.now });
  return {
    site: req.siteUrl,
    email: req.email,
    exportedAt: iso(p.now),
    comments: data.comments.map((c) => exportComment(req.siteUrl, c)),
    mailSubscriptions: subscriptions.map((c) => ({ commentId: c.id, confirmedAt: iso(c.notifyConfirmedAt) })),
    floodRecords: data.submissions.map((s) => ({ ipHash: s.ipHash, submittedAt: iso(s.createdAt) })),
    unstoredSubmissions: data.failedMessages.map((f) => ({ id: f.id, receivedAt: iso(f.createdAt), message: f.body })),
  };
}

/** What an erasure did, for the page, the API and the CLI. */
export interface ErasureOutcome extends ModerationOutcome {
  comments: number;
  deleted: boolean;
  subscriptions: number;
}

/**
 * Erases what is stored under the address (Art. 17): in one batch its
 * comments lose name, address, website, IP hash and user agent (their text
 * stays under "Anonym"/"Anonymous") or, with `deleteComments`, go; every mail
 * subscription ends; its flood records and unstored messages go; the log
 * records it. Then the pages that showed an approved one are purged.
 */
export async function erasePersonalData(
  p: CommentPlatform,
  keys: PersonalDataKeys,
  req: { email: string; deleteComments: boolean; via: DataRequestChannel },
): Promise<ErasureOutcome> {
  const anonymous = { de: getTranslator("de", "informal")("anonymousAuthor"), en: getTranslator("en", "informal")("anonymousAuthor") };
  const emailHash = await hashCommenterEmail(keys.ipSalt, req.email);
  const erased = await eraseStoredData(p.db, { email: req.email, emailHash, deleteComments: req.deleteComments, anonymous, via: req.via, now: p.now });
  const shown = erased.filter((c) => c.status === "approved").map((c) => ({ id: c.id, articleId: c.articleId }));
  const outcome = await purgeThenMail(p, shown);
  return {
    ...outcome,
    changed: erased.map((c) => c.id),
    comments: erased.length,
    deleted: req.deleteComments,
    subscriptions: erased.filter((c) => c.notifyReplies).length,
  };
}
