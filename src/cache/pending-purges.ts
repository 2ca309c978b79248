// Purges that follow a write and must not be lost. Once a moderation, an edit
// or a reply has committed, a purge that fails (Cloudflare refused it or could
// not be reached) leaves its tags in D1 and the request answers with what was
// written; the 10-minute cron purges those tags again. Until then readers may
// be shown the page from before the write, at most for its edge lifetime.
import { and, asc, lte, sql } from "drizzle-orm";
import { type Db, getDb } from "../db/client";
import { summarizeError } from "../db/error-text";
import { inJsonList } from "../db/in-list";
import { pendingPurges } from "../db/schema";
import { type PurgeContext, purgeEdgeCache } from "./purge";

/**
 * What became of the purge after a write: done at the edge; failed and left
 * for the cron; failed and not even recorded (logged; the pages refresh when
 * their edge lifetime ends); or none, as there is no edge cache here (the
 * local CLI, a Worker without Workers Cache) or nothing changed on a page.
 */
export type PurgeStatus = "purged" | "deferred" | "failed" | "none";

/** The cron purges at most this many waiting tags a run: a few purge calls and three queries. */
const PENDING_BATCH = 100;

/** Purges the tags after a committed write; a failure is logged and left for the cron, never thrown. */
export async function purgeAfterWrite(db: Db, ctx: PurgeContext | null, tags: string[], now: number): Promise<PurgeStatus> {
  if (!ctx || tags.length === 0) return "none";
  let problem: string;
  try {
    const outcome = await purgeEdgeCache(ctx, tags);
    if (!outcome.purged) return "none";
    if (outcome.failedCalls === 0) return "purged";
    problem = `${outcome.failedCalls} purge call(s) refused`;
  } catch (err) {
    problem = summarizeError(err);
  }
  console.error(`edge purge of ${tags.length} tag(s) failed after the write committed; the cron tries again: ${problem}`);
  try {
    await recordPendingPurges(db, tags, now);
    return "deferred";
  } catch (err) {
    console.error(`the failed purge could not be recorded either; those pages refresh when their edge lifetime ends: ${summarizeError(err)}`);
    return "failed";
  }
}

/** Keeps tags for the cron; one bound value however many tags (D1 takes 100 a statement). */
async function recordPendingPurges(db: Db, tags: string[], now: number): Promise<void> {
  const p = pendingPurges;
  // WHERE true: SQLite's upsert after INSERT … SELECT needs it to parse ON CONFLICT.
  await db.run(sql`INSERT INTO ${p} (${sql.identifier(p.tag.name)}, ${sql.identifier(p.recordedAt.name)})
    SELECT value, ${now} FROM json_each(${JSON.stringify([...new Set(tags)])}) WHERE true
    ON CONFLICT (${sql.identifier(p.tag.name)}) DO UPDATE SET ${sql.identifier(p.recordedAt.name)} = excluded.${sql.identifier(p.recordedAt.name)}`);
}

/**
 * The cron's part: purges the oldest waiting tags and forgets them; returns
 * how many. A tag recorded again after `now` stays for the next run. Throws
 * when the purge fails, so the run shows as failed and the tags wait on.
 */
export async function handlePendingPurges(env: Env, ctx: PurgeContext, now: number): Promise<number> {
  const db = getDb(env.DB);
  const rows = await db.select({ tag: pendingPurges.tag }).from(pendingPurges).orderBy(asc(pendingPurges.recordedAt)).limit(PENDING_BATCH);
  if (rows.length === 0) return 0;
  const tags = rows.map((r) => r.tag);
  // Without Workers Cache nothing is cached anywhere: the tags are done with all the same.
  const outcome = await purgeEdgeCache(ctx, tags);
  if (outcome.failedCalls > 0) throw new Error(`${outcome.failedCalls} purge call(s) refused; ${tags.length} tag(s) wait for the next run`);
  await db.delete(pendingPurges).where(and(inJsonList(pendingPurges.tag, tags), lte(pendingPurges.recordedAt, now)));
  return tags.length;
}
