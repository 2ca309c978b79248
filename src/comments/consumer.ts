// The queue consumer: each message is checked, moderated and stored on its
// own, acked or retried on its own; a message that can never be stored is
// recorded for the moderators at once instead of being retried or dropped.
import { type CommentSettings, getCommentSettings, getSiteSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { summarizeError } from "../db/error-text";
import { COMMENT_PENDING, COMMENT_SPAM, type CommentStatus } from "../db/schema";
import { completeCommentEffects, type EffectsContext } from "./effects";
import { getModeratorMailer } from "./held-mail";
import { type CommentMessage, parseCommentMessage } from "./message";
import { commentExists, getStoredCommentState, hasApprovedComment, insertCommentOnce, recordFailedMessage } from "./queries";
import { getReaderMailer } from "./reader-mail";
import { parseReasons } from "./reason-text";
import { listDisallowedIps, type ModerationReason, moderateComment } from "./rules";
import { countLinks, renderCommentHtml } from "./sanitize";
import { hashClientIp } from "./submit";

/** Failures that no retry can fix: the message is recorded and acked. */
class PermanentFailure extends Error {}
/** The comment is stored; only the purge or notice after it failed. */
class EffectsFailure extends Error {}

/** Backoff between attempts: 10 s, 20 s, 40 s … at most 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

async function isIpDisallowed(settings: CommentSettings, ipHash: string | null): Promise<boolean> {
  if (!ipHash) return false;
  const ips = listDisallowedIps(settings.disallowedWords);
  const hashes = await Promise.all(ips.map((ip) => hashClientIp(settings.ipSalt, ip)));
  return hashes.includes(ipHash);
}

export interface StoredComment {
  /** False for a redelivery: the row existed already. */
  isNew: boolean;
  status: CommentStatus;
  reasons: ModerationReason[];
  /** Whether the purge or notice after storing is recorded as done. */
  effectsDone: boolean;
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

/** Moderates and stores one comment; a redelivered message stores nothing new. */
export async function storeComment(db: Db, settings: CommentSettings, message: CommentMessage, now: number): Promise<StoredComment> {
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

async function storeBody(db: Db, env: Env, ctx: EffectsContext, settings: CommentSettings, body: unknown, now: number): Promise<void> {
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new PermanentFailure(`malformed message: ${parsed.error}`);
  const stored = await storeComment(db, settings, parsed.message, now);
  try {
    const site = getSiteSettings(env);
    const notice = {
      webhookUrl: settings.webhookUrl,
      siteUrl: site.url,
      mailer: getModeratorMailer(env, site, settings.moderation === "first_time"),
      readerMailer: getReaderMailer(env),
    };
    await completeCommentEffects(db, ctx, notice, parsed.message, stored, now);
  } catch (err) {
    throw new EffectsFailure(summarizeError(err));
  }
}

/** What to do with a message that could not be stored: record it, or retry. */
type FailureHandler = (db: Db, queue: string, msg: Message<unknown>, err: unknown) => Promise<void>;

/** Stores each message of a batch on its own; failures go to `onFailure`, one message at a time. */
async function storeBatch(batch: MessageBatch<unknown>, env: Env, ctx: EffectsContext, onFailure: FailureHandler): Promise<void> {
  const db = getDb(env.DB);
  const settings = getCommentSettings(env);
  for (const msg of batch.messages) {
    try {
      await storeBody(db, env, ctx, settings, msg.body, Date.now());
      msg.ack();
    } catch (err) {
      await onFailure(db, batch.queue, msg, err);
    }
  }
}

async function recordOrRetry(db: Db, queue: string, msg: Message<unknown>, error: string): Promise<void> {
  try {
    await recordFailedMessage(db, { queue, messageId: msg.id, body: msg.body, error, attempts: msg.attempts, now: Date.now() });
    msg.ack();
  } catch (err) {
    console.error("failed message not recorded, will retry", msg.id, summarizeError(err));
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  }
}

/** The comment queue's consumer: what cannot ever be stored is recorded at once, the rest retried. */
export function handleCommentBatch(batch: MessageBatch<unknown>, env: Env, ctx: EffectsContext): Promise<void> {
  return storeBatch(batch, env, ctx, async (db, queue, msg, err) => {
    if (err instanceof PermanentFailure) return recordOrRetry(db, queue, msg, err.message);
    const what = err instanceof EffectsFailure ? "comment stored, its purge or notice failed; will retry" : "comment not stored, will retry";
    console.error(what, msg.id, summarizeError(err));
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  });
}

/**
 * The dead-letter queue's consumer: one more try to store each comment (the
 * failure may have passed); what still fails is recorded for the moderators.
 * A comment that is stored but whose notice keeps failing is acked: the
 * moderators see it in their queue anyway.
 */
export function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, ctx: EffectsContext): Promise<void> {
  return storeBatch(batch, env, ctx, async (db, queue, msg, err) => {
    if (err instanceof EffectsFailure) {
      console.error("comment stored; giving up on its purge or notice", msg.id, summarizeError(err));
      msg.ack();
      return;
    }
    const reason = err instanceof PermanentFailure ? err.message : `dead-lettered after its last retry: ${summarizeError(err)}`;
    return recordOrRetry(db, queue, msg, reason);
  });
}
