// The daily clean-up (the cron): deletes what is kept only for a while. Not a
// cache purge; it reads only the retention setting, never the admin's.
import { getRetentionSettings } from "../config";
import { getDb } from "../db/client";
import { deleteDecidedComments, deleteOldSubmissions, deleteResolvedFailedMessages } from "./moderation-queries";

const DAY_MS = 86_400_000;

/** Spam, trash and resolved failed messages older than COMMENT_PURGE_DAYS, and old flood records. */
export async function handleScheduledCleanup(env: Env, now: number): Promise<{ comments: number; failedMessages: number }> {
  const days = getRetentionSettings(env).purgeDays;
  const db = getDb(env.DB);
  const before = now - days * DAY_MS;
  const comments = days > 0 ? await deleteDecidedComments(db, before) : 0;
  // Resolved records still hold the submitter's e-mail: they go with the spam.
  const failedMessages = days > 0 ? await deleteResolvedFailedMessages(db, before) : 0;
  // Flood and rate checks look back minutes; duplicates are also found in the comments themselves.
  await deleteOldSubmissions(db, now - Math.max(days, 30) * DAY_MS);
  if (comments + failedMessages > 0)
    console.log(`deleted ${comments} spam/trash comments and ${failedMessages} resolved failed messages older than ${days} days`);
  return { comments, failedMessages };
}
