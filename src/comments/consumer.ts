// The queue consumer: each message is checked, moderated and stored on its
// own, acked or retried on its own; a message that can never be stored is
// recorded for the moderators instead of being dropped.
import { getAdminSettings } from "../admin/settings";
import { purgeCommentPages } from "../cache";
import { type Db, getDb } from "../db/client";
import { COMMENT_APPROVED, COMMENT_PENDING, type CommentStatus } from "../db/schema";
import { sha256Hex } from "../lib/crypto";
import { getSiteSettings } from "../settings";
import { type CommentMessage, parseCommentMessage } from "./message";
import { notifyModerators } from "./notify";
import { hasApprovedComment, insertCommentOnce, recordFailedMessage } from "./queries";
import { listDisallowedIps, type ModerationReason, moderateComment } from "./rules";
import { countLinks, renderCommentHtml } from "./sanitize";
import { type CommentSettings, getCommentSettings } from "./settings";

/** Failures that no retry can fix: the message is recorded and acked. */
class PermanentFailure extends Error {}

/** Backoff between attempts: 10 s, 20 s, 40 s … at most 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

async function isIpDisallowed(settings: CommentSettings, ipHash: string | null): Promise<boolean> {
  if (!ipHash) return false;
  const ips = listDisallowedIps(settings.disallowedWords);
  const hashes = await Promise.all(ips.map((ip) => sha256Hex(`${settings.ipSalt}|ip|${ip}`)));
  return hashes.includes(ipHash);
}

export interface StoredComment {
  /** False for a redelivery: the row existed already. */
  isNew: boolean;
  status: CommentStatus;
  reasons: ModerationReason[];
}

/** Moderates and stores one comment; a redelivered message stores nothing new. */
export async function storeComment(db: Db, settings: CommentSettings, message: CommentMessage, now: number): Promise<StoredComment> {
  const bodyHtml = renderCommentHtml(message.comment);
  const verdict = moderateComment(
    { author: message.author, email: message.email, url: message.url, text: message.comment, linkCount: countLinks(bodyHtml) },
    {
      mode: settings.moderation,
      maxLinks: settings.maxLinks,
      disallowedWords: settings.disallowedWords,
      moderationWords: settings.moderationWords,
      ipDisallowed: await isIpDisallowed(settings, message.ipHash),
      approvedBefore: settings.moderation === "first_time" && (await hasApprovedComment(db, message.author, message.email)),
    },
  );
  try {
    const isNew = await insertCommentOnce(db, {
      id: message.id,
      articleId: message.articleId,
      parentId: message.parentId,
      author: message.author,
      email: message.email,
      url: message.url,
      bodyRaw: message.comment,
      bodyHtml,
      status: verdict.status,
      reasons: JSON.stringify(verdict.reasons),
      ipHash: message.ipHash,
      userAgent: message.userAgent,
      createdAt: message.submittedAt,
      decidedAt: verdict.status === "pending" ? null : now,
    });
    return { isNew, ...verdict };
  } catch (err) {
    // The article (or parent) was deleted while the comment waited in the queue.
    if (describeError(err).includes("FOREIGN KEY")) throw new PermanentFailure(`article ${message.articleId} no longer exists`);
    throw err;
  }
}

/** An error's message with its causes (drizzle wraps D1's error). */
function describeError(err: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = err; e !== undefined && parts.length < 5; e = e instanceof Error ? e.cause : undefined) {
    parts.push(e instanceof Error ? e.message : String(e));
  }
  return parts.join(": ");
}

async function storeBody(
  db: Db,
  env: Env,
  ctx: Pick<ExecutionContext, "cache" | "waitUntil">,
  settings: CommentSettings,
  body: unknown,
  now: number,
): Promise<void> {
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new PermanentFailure(`malformed message: ${parsed.error}`);
  const stored = await storeComment(db, settings, parsed.message, now);
  // first_time moderation publishes at once: the article's pages must show it.
  if (stored.isNew && stored.status === COMMENT_APPROVED) {
    await purgeCommentPages(ctx, [parsed.message.articleId]);
  }
  const webhook = getAdminSettings(env).webhookUrl;
  if (webhook && stored.isNew && stored.status === COMMENT_PENDING) {
    await notifyModerators(webhook, getSiteSettings(env).url, parsed.message, stored.reasons);
  }
}

/** What the consumer needs of the platform's context: purging the edge cache, deferring work. */
type QueueContext = Pick<ExecutionContext, "cache" | "waitUntil">;

/** What to do with a message that could not be stored: record it, or retry. */
type FailureHandler = (db: Db, queue: string, msg: Message<unknown>, err: unknown) => Promise<void>;

/** Stores each message of a batch on its own; failures go to `onFailure`, one message at a time. */
async function storeBatch(batch: MessageBatch<unknown>, env: Env, ctx: QueueContext, onFailure: FailureHandler): Promise<void> {
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
    console.error("failed message not recorded, will retry", msg.id, err);
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  }
}

/** The comment queue's consumer: what cannot ever be stored is recorded, the rest retried. */
export function handleCommentBatch(batch: MessageBatch<unknown>, env: Env, ctx: QueueContext): Promise<void> {
  return storeBatch(batch, env, ctx, async (db, queue, msg, err) => {
    if (err instanceof PermanentFailure) return recordOrRetry(db, queue, msg, err.message);
    console.error("comment not stored, will retry", msg.id, err);
    msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
  });
}

/**
 * The dead-letter queue's consumer: one more try to store each comment (the
 * failure may have passed); what still fails is recorded for the moderators.
 */
export function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, ctx: QueueContext): Promise<void> {
  return storeBatch(batch, env, ctx, (db, queue, msg, err) => {
    const reason = err instanceof PermanentFailure ? err.message : `dead-lettered after its last retry: ${describeError(err)}`;
    return recordOrRetry(db, queue, msg, reason);
  });
}
