// Slows down guessing the admin token: after MAX_TOKEN_FAILURES wrong tokens
// from one client network within the window, that network waits. Kept in D1,
// not the Rate Limiting binding: that binding counts every call (we count only
// failures, so a right token is never slowed by others), offers only 10 s or
// 60 s windows, and cannot say when a client may try again (Retry-After).
import { and, asc, eq, gt, lt } from "drizzle-orm";
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

/** Records a wrong token from `client`; failures older than the window are deleted. */
export async function recordTokenFailure(db: Db, client: string, now: number): Promise<void> {
  await db.batch([
    db.delete(adminTokenFailures).where(lt(adminTokenFailures.failedAt, now - TOKEN_FAILURE_WINDOW_MS)),
    db.insert(adminTokenFailures).values({ client, failedAt: now }),
  ]);
}
