// The queue consumer: the messages of a batch are checked, moderated and
// stored together, in a fixed number of D1 round trips (a batch of 10 must
// fit the Free plan's 50 queries an invocation), and each is acked or retried
// on its own; a message that can never be stored is recorded for the
// moderators at once instead of being retried or dropped.
import type { PurgeContext } from "../cache";
import { getCommentSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { summarizeError } from "../db/error-text";
import { parseCommentMessage } from "./message";
import { recordFailedMessages } from "./queries";
import { getCommentPlatform } from "./service";
import { EffectsFailure, PermanentFailure, storeQueuedComments } from "./service-queue";

/** Backoff between attempts: 10 s, 20 s, 40 s … at most 10 minutes. */
export function retryDelaySeconds(attempts: number): number {
  return Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));
}

/** What becomes of a message that could not be stored: a record for the moderators, a retry, or an ack (nothing left to do). */
type FailureDecision = { record: string } | "retry" | "ack";
type FailureHandler = (msg: Message<unknown>, err: unknown) => FailureDecision;

/**
 * Stores the messages of a batch together: each is checked at the trust
 * boundary, then all that pass go to the one service that stores comments,
 * which needs a fixed number of D1 round trips for the whole batch. Each
 * message is acked or retried on its own; the records of those that failed
 * are written in one more round trip.
 */
async function storeBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext, onFailure: FailureHandler): Promise<void> {
  const db = getDb(env.DB);
  const now = Date.now();
  const checked = batch.messages.map((msg) => ({ msg, parsed: parseCommentMessage(msg.body) }));
  const valid = checked.flatMap(({ parsed }) => (parsed.ok ? [parsed.message] : []));
  let outcomes: Map<string, unknown>;
  try {
    outcomes = valid.length > 0 ? await storeQueuedComments(getCommentPlatform(env, db, ctx, now), getCommentSettings(env), valid) : new Map();
  } catch (err) {
    outcomes = new Map(valid.map((m) => [m.id, err]));
  }
  const records: { msg: Message<unknown>; error: string }[] = [];
  for (const { msg, parsed } of checked) {
    const err = parsed.ok ? outcomes.get(parsed.message.id) : new PermanentFailure(`malformed message: ${parsed.error}`);
    if (err === null) {
      msg.ack();
      continue;
    }
    const decision = onFailure(msg, err ?? new Error("no outcome"));
    if (decision === "ack") msg.ack();
    else if (decision === "retry") msg.retry({ delaySeconds: retryDelaySeconds(msg.attempts) });
    else records.push({ msg, error: decision.record });
  }
  await recordOrRetry(db, batch.queue, records);
}

/** Records the messages that can never be stored and acks them, in one round trip; what cannot be recorded is retried. */
async function recordOrRetry(db: Db, queue: string, records: { msg: Message<unknown>; error: string }[]): Promise<void> {
  if (records.length === 0) return;
  const now = Date.now();
  const row = ({ msg, error }: (typeof records)[number]) => ({ queue, messageId: msg.id, body: msg.body, error, attempts: msg.attempts, now });
  try {
    await recordFailedMessages(db, records.map(row));
    for (const { msg } of records) msg.ack();
    return;
  } catch {
    // Each on its own: the one D1 refuses is retried alone.
  }
  for (const r of records) {
    try {
      await recordFailedMessages(db, [row(r)]);
      r.msg.ack();
    } catch (err) {
      console.error("failed message not recorded, will retry", r.msg.id, summarizeError(err));
      r.msg.retry({ delaySeconds: retryDelaySeconds(r.msg.attempts) });
    }
  }
}

/** The comment queue's consumer: what cannot ever be stored is recorded at once, the rest retried. */
export function handleCommentBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext): Promise<void> {
  return storeBatch(batch, env, ctx, (msg, err) => {
    if (err instanceof PermanentFailure) return { record: err.message };
    const what = err instanceof EffectsFailure ? "comment stored, its purge or notice failed; will retry" : "comment not stored, will retry";
    console.error(what, msg.id, summarizeError(err));
    return "retry";
  });
}

/**
 * The dead-letter queue's consumer: one more try to store each comment (the
 * failure may have passed); what still fails is recorded for the moderators.
 * A comment that is stored but whose notice keeps failing is acked: the
 * moderators see it in their queue anyway.
 */
export function handleDeadLetterBatch(batch: MessageBatch<unknown>, env: Env, ctx: PurgeContext): Promise<void> {
  return storeBatch(batch, env, ctx, (msg, err) => {
    if (err instanceof EffectsFailure) {
      console.error("comment stored; giving up on its purge or notice", msg.id, summarizeError(err));
      return "ack";
    }
    return { record: err instanceof PermanentFailure ? err.message : `dead-lettered after its last retry: ${summarizeError(err)}` };
  });
}
