// The queue consumer: each message is checked, moderated and stored on its
// own, acked or retried on its own; a message that can never be stored is
// recorded for the moderators at once instead of being retried or dropped.
import type { PurgeContext } from "../cache";
import { type CommentSettings, getCommentSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { summarizeError } from "../db/error-text";
import { parseCommentMessage } from "./message";
import { recordFailedMessage } from "./queries";
import { getCommentPlatform } from "./service";
import { EffectsFailure, PermanentFailure, storeQueuedComment } from "./service-queue";

/** Backoff between attempts: 10 s, 20 s, 40 s … at most 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** Checks one message at the trust boundary and hands it to the one service that stores comments. */
async function storeBody(db: Db, env: Env, ctx: PurgeContext, settings: CommentSettings, body: unknown, now: number): Promise<void> {
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new PermanentFailure(`malformed message: ${parsed.error}`);
  await storeQueuedComment(getCommentPlatform(env, db, ctx, now), settings, parsed.message);
}

/** What to do with a message that could not be stored: record it, or retry. */
type FailureHandler = (db: Db, queue: string, msg: Message<unknown>, err: unknown) => Promise<void>;

/** Stores each message of a batch on its own; failures go to `onFailure`, one message at a time. */
async function storeBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext, onFailure: FailureHandler): Promise<void> {
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
export function handleCommentBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext): Promise<void> {
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
export function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext): Promise<void> {
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
