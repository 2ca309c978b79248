// The daily clean-up (the cron): deletes what is kept only for a while, and
// clears the IP hashes and user agents of comments past IP_HASH_RETENTION_DAYS.
// Not a cache purge; it reads only the retention settings, never the admin's.
// It deletes (and clears) in chunks of EXPIRE_CHUNK rows, at most MAX_DELETE_STATEMENTS
// statements a run, so a run fits one invocation's D1 budget whatever has
// piled up; what is left goes the next day.
import { getRetentionSettings } from "../config";
import { type Db, getDb } from "../db/client";
import {
  clearOldClientData,
  deleteDecidedComments,
  deleteExpiredFailedMessages,
  deleteOldLinkRequests,
  deleteOldSubmissions,
  EXPIRE_CHUNK,
} from "./moderation-queries";

const DAY_MS = 86_400_000;
/** Delete statements one run may send: well within the Free plan's 50 queries an invocation. */
const MAX_DELETE_STATEMENTS = 30;

export interface ExpiredCounts {
  comments: number;
  failedMessages: number;
  submissions: number;
  /** Comments whose IP hash and user agent were cleared. */
  clientData: number;
  linkRequests: number;
  /** Whether something may be left for the next run (the statements ran out). */
  more: boolean;
}

/**
 * Deletes spam and trash decided, and failed-message records made or dealt
 * with, before `before` (null: keeps them); clears the IP hash and user agent
 * of comments, and deletes the flood and rate records, made before
 * `clientDataBefore`; deletes link requests made before `linkRequestsBefore`;
 * with at most `statements` statements. The IP hashes go first: they are what
 * must not be kept past their time.
 */
export async function expireOldRecords(
  db: Db,
  cutoffs: { before: number | null; clientDataBefore: number; linkRequestsBefore: number },
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
  const clientData = await drain(() => clearOldClientData(db, cutoffs.clientDataBefore));
  const submissions = await drain(() => deleteOldSubmissions(db, cutoffs.clientDataBefore));
  const linkRequests = await drain(() => deleteOldLinkRequests(db, cutoffs.linkRequestsBefore));
  const comments = before === null ? 0 : await drain(() => deleteDecidedComments(db, before));
  const failedMessages = before === null ? 0 : await drain(() => deleteExpiredFailedMessages(db, before));
  return { comments, failedMessages, submissions, clientData, linkRequests, more };
}

/** Spam, trash and failed-message records older than COMMENT_EXPIRE_DAYS, IP hashes and flood records older than IP_HASH_RETENTION_DAYS. */
export async function handleScheduledCleanup(env: Env, now: number): Promise<ExpiredCounts> {
  const { expireDays: days, ipHashDays } = getRetentionSettings(env);
  const expired = await expireOldRecords(getDb(env.DB), {
    // Failed-message records hold the submitter's e-mail, IP hash and text: dealt
    // with or not, they go after the same time as the spam, as a trash is emptied.
    before: days > 0 ? now - days * DAY_MS : null,
    // Flood and rate checks look back minutes; duplicates are also found in the comments themselves.
    clientDataBefore: now - ipHashDays * DAY_MS,
    // Link requests are counted for an hour; a day is plenty.
    linkRequestsBefore: now - DAY_MS,
  });
  if (expired.comments + expired.failedMessages > 0 || expired.more) {
    const rest = expired.more ? "; more are left for the next run" : "";
    console.log(`deleted ${expired.comments} spam/trash comments and ${expired.failedMessages} failed-message records older than ${days} days${rest}`);
  }
  if (expired.clientData > 0) console.log(`cleared the IP hash and user agent of ${expired.clientData} comments older than ${ipHashDays} days`);
  return expired;
}
