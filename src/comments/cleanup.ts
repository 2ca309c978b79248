// The daily clean-up (the cron): deletes what is kept only for a while. Not a
// cache purge; it reads only the retention setting, never the admin's.
import { getRetentionSettings } from "../config";
import { getDb } from "../db/client";
import { deleteDecidedComments, deleteExpiredFailedMessages, deleteOldSubmissions } from "./moderation-queries";

const DAY_MS = 86_400_000;

/** Spam, trash and failed-message records older than COMMENT_EXPIRE_DAYS, and old flood records. */
export async function handleScheduledCleanup(env: Env, now: number): Promise<{ comments: number; failedMessages: number }> {
  const days = getRetentionSettings(env).expireDays;
  const db = getDb(env.DB);
  const before = now - days * DAY_MS;
  const comments = days > 0 ? await deleteDecidedComments(db, before) : 0;
  // Failed-message records hold the submitter's e-mail, IP hash and text: dealt
  // with or not, they go after the same time as the spam, as a trash is emptied.
  const failedMessages = days > 0 ? await deleteExpiredFailedMessages(db, before) : 0;
  // Flood and rate checks look back minutes; duplicates are also found in the comments themselves.
  await deleteOldSubmissions(db, now - Math.max(days, 30) * DAY_MS);
  if (comments + failedMessages > 0)
    console.log(`deleted ${comments} spam/trash comments and ${failedMessages} failed-message records older than ${days} days`);
  return { comments, failedMessages };
}
