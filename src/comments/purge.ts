import { getRetentionSettings } from "../config";
import { getDb } from "../db/client";
import { purgeDecidedComments, purgeSubmissions } from "./moderation-queries";

const DAY_MS = 86_400_000;

/** The daily clean-up: spam and trash older than COMMENT_PURGE_DAYS, and old flood records. */
export async function handleScheduledPurge(env: Env, now: number): Promise<{ comments: number }> {
  const days = getRetentionSettings(env).purgeDays;
  const db = getDb(env.DB);
  const comments = days > 0 ? await purgeDecidedComments(db, now - days * DAY_MS) : 0;
  // Flood and rate checks look back minutes; duplicates are also found in the comments themselves.
  await purgeSubmissions(db, now - Math.max(days, 30) * DAY_MS);
  if (comments > 0) console.log(`purged ${comments} spam/trash comments older than ${days} days`);
  return { comments };
}
