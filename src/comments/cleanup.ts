// The daily clean-up (the cron): deletes what is kept only for a while. Not a
// cache purge; it reads only the retention setting, never the admin's. It
// deletes in chunks of EXPIRE_CHUNK rows, at most MAX_DELETE_STATEMENTS
// statements a run, so a run fits one invocation's D1 budget whatever has
// piled up; what is left goes the next day.
import { getRetentionSettings } from "../config";
import { type Db, getDb } from "../db/client";
import { deleteDecidedComments, deleteExpiredFailedMessages, deleteOldSubmissions, EXPIRE_CHUNK } from "./moderation-queries";

const DAY_MS = 86_400_000;
/** Delete statements one run may send: well within the Free plan's 50 queries an invocation. */
const MAX_DELETE_STATEMENTS = 30;

export interface ExpiredCounts {
  comments: number;
  failedMessages: number;
  submissions: number;
  /** Whether something may be left for the next run (the statements ran out). */
  more: boolean;
}

/**
 * Deletes spam and trash decided, and failed-message records made or dealt
 * with, before `before` (null: keeps them), and submission records made before
 * `submittedBefore`, with at most `statements` delete statements.
 */
export async function expireOldRecords(
  db: Db,
  cutoffs: { before: number | null; submittedBefore: number },
  statements = MAX_DELETE_STATEMENTS,
): Promise<ExpiredCounts> {
  let left = statements;
  let more = false;
  // Runs `remove` until it deletes less than a full chunk or the statements run out.
  const drain = async (remove: () => Promise<number>): Promise<number> => {
    let total = 0;
    for (;;) {
      if (left === 0) {
        more = true;
        return total;
      }
      left -= 1;
      const gone = await remove();
      total += gone;
      if (gone < EXPIRE_CHUNK) return total;
    }
  };
  const { before } = cutoffs;
  const comments = before === null ? 0 : await drain(() => deleteDecidedComments(db, before));
  const failedMessages = before === null ? 0 : await drain(() => deleteExpiredFailedMessages(db, before));
  const submissions = await drain(() => deleteOldSubmissions(db, cutoffs.submittedBefore));
  return { comments, failedMessages, submissions, more };
}

/** Spam, trash and failed-message records older than COMMENT_EXPIRE_DAYS, and old flood records: how many of each went. */
export async function handleScheduledCleanup(env: Env, now: number): Promise<ExpiredCounts> {
  const days = getRetentionSettings(env).expireDays;
  const expired = await expireOldRecords(getDb(env.DB), {
    // Failed-message records hold the submitter's e-mail, IP hash and text: dealt
    // with or not, they go after the same time as the spam, as a trash is emptied.
    before: days > 0 ? now - days * DAY_MS : null,
    // Flood and rate checks look back minutes; duplicates are also found in the comments themselves.
    submittedBefore: now - Math.max(days, 30) * DAY_MS,
  });
  if (expired.comments + expired.failedMessages > 0 || expired.more) {
    const rest = expired.more ? "; more are left for the next run" : "";
    console.log(`deleted ${expired.comments} spam/trash comments and ${expired.failedMessages} failed-message records older than ${days} days${rest}`);
  }
  return expired;
}
