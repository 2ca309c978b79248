// The moderation numbers on the dashboard, never by reading every comment:
// the waiting count from the counts the triggers keep (migrations/0023), the
// oldest waiting from one end of comments_by_status, the week's decisions from
// a range on comments_by_decision (the median from one ordered row at an offset).
import { and, count, eq, gte, min, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { COMMENT_PENDING, commentCounts, comments } from "../db/schema";

export const STATS_WINDOW_MS = 7 * 86_400_000;

export interface DeskStats {
  waiting: number;
  /** When the oldest waiting comment was submitted, or null when none waits. */
  oldestWaitingAt: number | null;
  /** Decisions (approve, spam, trash …) in the last 7 days. */
  decisions: number;
  /** The median time from submission to decision over those, in ms, or null. */
  medianDecisionMs: number | null;
}

const waitMs = sql<number>`${comments.decidedAt} - ${comments.createdAt}`;

/** The dashboard's numbers at `now`. Editors' replies (decided as they are written) are no decisions. */
export async function getDeskStats(db: Db, now: number): Promise<DeskStats> {
  const decided = and(gte(comments.decidedAt, now - STATS_WINDOW_MS), ne(comments.decidedAt, comments.createdAt));
  const [[waiting], [oldest], [recent]] = await db.batch([
    db.select({ n: commentCounts.n }).from(commentCounts).where(eq(commentCounts.status, COMMENT_PENDING)),
    db
      .select({ at: min(comments.createdAt) })
      .from(comments)
      .where(eq(comments.status, COMMENT_PENDING)),
    db.select({ n: count() }).from(comments).where(decided),
  ]);
  const decisions = recent?.n ?? 0;
  return { waiting: waiting?.n ?? 0, oldestWaitingAt: oldest?.at ?? null, decisions, medianDecisionMs: await getMedianWait(db, decided, decisions) };
}

async function getMedianWait(db: Db, decided: ReturnType<typeof and>, n: number): Promise<number | null> {
  if (n === 0) return null;
  // The middle row, or the two middle rows of an even count.
  const rows = await db
    .select({ ms: waitMs })
    .from(comments)
    .where(decided)
    .orderBy(waitMs)
    .limit(n % 2 === 0 ? 2 : 1)
    .offset(Math.floor((n - 1) / 2));
  const values = rows.map((r) => Number(r.ms));
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}
