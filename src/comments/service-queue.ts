// The actions on comments that come through the queue: storing a queued
// comment (what the consumer does with each message), and an editor's retry
// or dismissal of a message that could not be stored. Like every action
// (service.ts) each writes, then purges, then mails. The consumer's effects
// happen at least once: the row's effects_done_at is set only after they all
// succeeded, and a failure is thrown for the consumer to retry the message,
// whose redelivery finds the row without it and does them again.
import { purgeCommentPages } from "../cache";
import type { CommentSettings } from "../config";
import type { Db } from "../db/client";
import { summarizeError } from "../db/error-text";
import { COMMENT_APPROVED, COMMENT_PENDING, COMMENT_SPAM, type CommentStatus } from "../db/schema";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { mailHeldComment } from "./held-mail";
import { type CommentMessage, parseCommentMessage } from "./message";
import { getFailedMessage, setFailedMessageResolved } from "./moderation-queries";
import { notifyModerators } from "./notify";
import { commentExists, getStoredCommentState, hasApprovedComment, insertCommentOnce, setCommentEffectsDone } from "./queries";
import { mailApprovedComments, mailConfirmations } from "./reader-mail";
import { parseReasons } from "./reason-text";
import { listDisallowedIps, type ModerationReason, moderateComment } from "./rules";
import { countLinks, renderCommentHtml } from "./sanitize";
import { type CommentPlatform, type ModerationOutcome, purgeThenMail } from "./service";
import { hashClientIp } from "./submit";

/** Failures that no retry can fix: the consumer records the message and acks it. */
export class PermanentFailure extends Error {}
/** The comment is stored; only the purge or a notice after it failed, and a redelivery does them. */
export class EffectsFailure extends Error {}

export interface StoredComment {
  /** False for a redelivery: the row existed already. */
  isNew: boolean;
  status: CommentStatus;
  reasons: ModerationReason[];
  /** Whether the purge and notices after storing are recorded as done. */
  effectsDone: boolean;
}

async function isIpDisallowed(settings: CommentSettings, ipHash: string | null): Promise<boolean> {
  if (!ipHash) return false;
  const ips = listDisallowedIps(settings.disallowedWords);
  const hashes = await Promise.all(ips.map((ip) => hashClientIp(settings.ipSalt, ip)));
  return hashes.includes(ipHash);
}

/** Sanitizing and the rules are pure: if they throw, they throw on every retry too. */
function prepareComment(message: CommentMessage, settings: CommentSettings, facts: { ipDisallowed: boolean; approvedBefore: boolean }) {
  try {
    const bodyHtml = renderCommentHtml(message.comment);
    const input = { author: message.author, email: message.email, url: message.url, text: message.comment, linkCount: countLinks(bodyHtml) };
    const { maxLinks, disallowedWords, moderationWords, editor } = settings;
    return { bodyHtml, ...moderateComment(input, { mode: settings.moderation, maxLinks, disallowedWords, moderationWords, editor, ...facts }) };
  } catch (err) {
    throw new PermanentFailure(`could not be processed: ${summarizeError(err)}`);
  }
}

/** The write of a queued comment: the rules, the sanitized HTML, and an insert that a redelivery leaves as it is. */
async function insertModeratedComment(db: Db, settings: CommentSettings, message: CommentMessage, now: number): Promise<StoredComment> {
  const approvedBefore = settings.moderation === "first_time" && (await hasApprovedComment(db, message.author, message.email));
  const verdict = prepareComment(message, settings, { ipDisallowed: await isIpDisallowed(settings, message.ipHash), approvedBefore });
  // A reply whose parent was deleted while it waited still gets stored: at the top level, held, with the reason.
  const parentGone = message.parentId !== null && !(await commentExists(db, message.parentId));
  const reasons: ModerationReason[] = parentGone ? [...verdict.reasons, { code: "parent_deleted", parentId: message.parentId ?? "" }] : verdict.reasons;
  const status = parentGone && verdict.status !== COMMENT_SPAM ? COMMENT_PENDING : verdict.status;
  let isNew: boolean;
  try {
    isNew = await insertCommentOnce(db, {
      id: message.id,
      articleId: message.articleId,
      parentId: parentGone ? null : message.parentId,
      author: message.author,
      email: message.email,
      url: message.url,
      bodyRaw: message.comment,
      bodyHtml: verdict.bodyHtml,
      status,
      reasons: JSON.stringify(reasons),
      ipHash: message.ipHash,
      userAgent: message.userAgent,
      createdAt: message.submittedAt,
      decidedAt: status === COMMENT_PENDING ? null : now,
      notifyReplies: message.notify === true,
      // Nothing to mail about later: no approval mail wanted, or not a reply.
      approvalMailAt: message.notify ? null : now,
      replyMailAt: message.parentId && !parentGone ? null : now,
    });
  } catch (err) {
    const reason = summarizeError(err);
    // The article was deleted while the comment waited in the queue.
    if (reason.includes("FOREIGN KEY")) throw new PermanentFailure(`article ${message.articleId} no longer exists`);
    // A row D1 will not take is refused the same way on every retry.
    if (reason.includes("SQLITE_TOOBIG")) throw new PermanentFailure(`too large to store: ${reason}`);
    throw err;
  }
  if (isNew) return { isNew, status, reasons, effectsDone: false };
  const existing = await getStoredCommentState(db, message.id);
  return { isNew, status: existing?.status ?? status, reasons: parseReasons(existing?.reasons), effectsDone: existing?.effectsDoneAt != null };
}

/** What follows storing a comment, unless done before; throws (for a retry of the message) when one part fails. */
async function completeCommentEffects(p: CommentPlatform, message: CommentMessage, stored: StoredComment): Promise<void> {
  if (stored.effectsDone) return;
  const approved = stored.status === COMMENT_APPROVED;
  const held = stored.status === COMMENT_PENDING;
  const n = p.notices;
  // first_time moderation publishes at once: the article's pages must show it.
  if (approved && p.purge) {
    const purge = await purgeCommentPages(p.purge, [message.articleId]);
    if (purge.failedCalls > 0) throw new Error(`${purge.failedCalls} edge purge call(s) refused`);
  }
  // A refused mail is recorded for the cron (mail-failures.ts), never a reason to retry the message.
  if (message.notify && n?.readerMail) await mailConfirmations(p.db, n.readerMail, [message.id], p.now);
  if (approved && n?.readerMail) await mailApprovedComments(p.db, n.readerMail, [message.id], p.now);
  if (held && n?.moderatorMail) await mailHeldComment(p.db, n.moderatorMail, message, stored.reasons, p.now);
  if (held && n?.webhook) await notifyModerators(n.webhook.url, n.webhook.siteUrl, message, stored.reasons);
  await setCommentEffectsDone(p.db, message.id, p.now);
}

/**
 * What the consumer does with each checked message: the rules, the sanitized
 * HTML, an idempotent insert, then its effects (purge, mail, webhook). Throws
 * PermanentFailure (record the message), EffectsFailure (stored; retry for
 * the effects) or another error (not stored; retry).
 */
export async function storeQueuedComment(p: CommentPlatform, settings: CommentSettings, message: CommentMessage): Promise<StoredComment> {
  const stored = await insertModeratedComment(p.db, settings, message, p.now);
  try {
    await completeCommentEffects(p, message, stored);
  } catch (err) {
    throw new EffectsFailure(summarizeError(err));
  }
  return stored;
}

/** Tries once more to store a recorded failed message, and resolves it when that works. Throws NotFoundError or InvalidInputError. */
export async function retryFailedMessage(p: CommentPlatform, settings: CommentSettings, id: string): Promise<ModerationOutcome> {
  const failed = await getFailedMessage(p.db, id);
  if (!failed) throw new NotFoundError("no failed message with this id");
  let body: unknown;
  try {
    body = JSON.parse(failed.body);
  } catch {
    throw new InvalidInputError({ body: "the recorded body is not JSON" }, "the recorded body is not JSON");
  }
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new InvalidInputError({ body: parsed.error }, `still malformed: ${parsed.error}`);
  const message = parsed.message;
  let stored: StoredComment;
  try {
    stored = await insertModeratedComment(p.db, settings, message, p.now);
  } catch (err) {
    throw new InvalidInputError({ body: "not stored" }, `not stored: ${summarizeError(err)}`);
  }
  // The editor is looking at it: no notice to the moderators.
  await setCommentEffectsDone(p.db, message.id, p.now);
  await setFailedMessageResolved(p.db, id, p.now);
  const approved = stored.status === COMMENT_APPROVED;
  return purgeThenMail(p, approved ? [{ id: message.id, articleId: message.articleId }] : [], {
    confirm: message.notify ? [message.id] : [],
    approved: approved ? [message.id] : [],
  });
}

/** An editor dealt with a failed message otherwise: it leaves the admin's list. False when there is no open one. */
export function resolveFailedMessage(p: CommentPlatform, id: string): Promise<boolean> {
  return setFailedMessageResolved(p.db, id, p.now);
}
