// Slows down guessing the admin token: after MAX_TOKEN_FAILURES wrong tokens
// from one client network within the window, that network waits. Kept in D1,
// not the Rate Limiting binding: that binding counts every call (we count only
// failures, so a right token is never slowed by others), offers only 10 s or
// 60 s windows, and cannot say when a client may try again (Retry-After).
//
// A check is counted before the token is compared, in one statement that
// records it only while the client has fewer than the limit in the window:
// concurrent guesses cannot all read "under the limit" before any is recorded.
// A right token then takes its record back.
import { and, asc, eq, gt, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { adminTokenFailures } from "../db/schema";

export const MAX_TOKEN_FAILURES = 5;
export const TOKEN_FAILURE_WINDOW_MS = 15 * 60_000;

/** Seconds until `client` may try a token again, or null when it may now. */
export async function getTokenRetryAfter(db: Db, client: string, now: number): Promise<number | null> {
  const since = now - TOKEN_FAILURE_WINDOW_MS;
  const rows = await db
    .select({ failedAt: adminTokenFailures.failedAt })
    .from(adminTokenFailures)
    .where(and(eq(adminTokenFailures.client, client), gt(adminTokenFailures.failedAt, since)))
    .orderBy(asc(adminTokenFailures.failedAt))
    .all();
  if (rows.length < MAX_TOKEN_FAILURES) return null;
  // The client may try again once enough of its failures have left the window.
  const freeing = rows[rows.length - MAX_TOKEN_FAILURES]?.failedAt ?? now;
  return Math.max(1, Math.ceil((freeing + TOKEN_FAILURE_WINDOW_MS - now) / 1000));
}

/**
 * Counts a token check from `client` as a failure before the token is compared:
 * the record's id, or null when the client already has MAX_TOKEN_FAILURES in
 * the window (then nothing is compared). Failures older than the window are deleted.
 */
export async function reserveTokenCheck(db: Db, client: string, now: number): Promise<number | null> {
  const since = now - TOKEN_FAILURE_WINDOW_MS;
  const [, recorded] = await db.batch([
    db.delete(adminTokenFailures).where(lt(adminTokenFailures.failedAt, since)),
    db
      .insert(adminTokenFailures)
      .select(sql`SELECT ${client}, ${now}
        WHERE (SELECT count(*) FROM ${adminTokenFailures} WHERE client = ${client} AND failed_at > ${since}) < ${MAX_TOKEN_FAILURES}`)
      .returning({ id: sql<number>`rowid` }),
  ]);
  return recorded[0]?.id ?? null;
}

/** A right token: its check, counted by reserveTokenCheck, is taken back. */
export async function releaseTokenCheck(db: Db, id: number): Promise<void> {
  await db.delete(adminTokenFailures).where(eq(sql`rowid`, id));
}
