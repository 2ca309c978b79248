// The admin_sessions table: a session is live while it is neither revoked nor
// past the expiry the server set at login.
import { and, eq, gt, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { adminSessions } from "../db/schema";

/** Stores a new session; old dead rows are deleted on the way (logins are rare). */
export async function insertSession(db: Db, id: string, now: number, expiresAt: number): Promise<void> {
  await db.batch([
    db.delete(adminSessions).where(or(lt(adminSessions.expiresAt, now), lt(adminSessions.revokedAt, now - 86_400_000))),
    db.insert(adminSessions).values({ id, createdAt: now, expiresAt }),
  ]);
}

/** The expiry of a live session, or null when it is unknown, revoked or expired. */
export async function getLiveSessionExpiry(db: Db, id: string, now: number): Promise<number | null> {
  const row = await db
    .select({ expiresAt: adminSessions.expiresAt })
    .from(adminSessions)
    .where(and(eq(adminSessions.id, id), isNull(adminSessions.revokedAt), gt(adminSessions.expiresAt, now)))
    .get();
  return row?.expiresAt ?? null;
}

/** Ends one session (logout). */
export async function revokeSession(db: Db, id: string, now: number): Promise<void> {
  await db
    .update(adminSessions)
    .set({ revokedAt: now })
    .where(and(eq(adminSessions.id, id), isNull(adminSessions.revokedAt)));
}

/** Ends every session ("log out everywhere"). */
export async function revokeAllSessions(db: Db, now: number): Promise<void> {
  await db.update(adminSessions).set({ revokedAt: now }).where(isNull(adminSessions.revokedAt));
}
