// Mail about comments that failed (comment_mail_failures): each mail is tried
// on its own, a refusal is recorded against its comment and kind instead of
// stopping the mails after it, the next try waits a pause that doubles, and
// after MAIL_MAX_TRIES the mail is given up (retry_at NULL) and logged. On the
// Free plan Email Service refuses every address that is not verified: such a
// mail costs MAIL_MAX_TRIES sends over about five hours, then never again.
import { and, eq, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { commentMailFailures, comments, type MailKind } from "../db/schema";
import { type Mail, sendMail } from "../mail/send";

export const MAIL_MAX_TRIES = 6;
/** The pause after the first failure; each further failure doubles it (10, 20, 40, 80, 160 minutes). */
export const MAIL_FIRST_PAUSE_MS = 600_000;
const ERROR_MAX = 500;

const f = commentMailFailures;

/** Whether the mail of this kind about the comment in `commentId` may be tried at `now`: never failed, or its pause is over. */
export function isMailDue(commentId: SQLiteColumn, kind: MailKind, now: number): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM ${f} WHERE ${f.commentId} = ${commentId} AND ${f.kind} = ${kind} AND (${f.retryAt} IS NULL OR ${f.retryAt} > ${now}))`;
}

// One more failed try on a row that exists: count it, and pause twice as long as last time, or give up.
const nextFailure = (lastError: string, now: number) => ({
  tries: sql`${f.tries} + 1`,
  lastError,
  failedAt: now,
  retryAt: sql`CASE WHEN ${f.tries} + 1 >= ${MAIL_MAX_TRIES} THEN NULL ELSE ${now} + (${MAIL_FIRST_PAUSE_MS} << ${f.tries}) END`,
});

function describeFailure(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.slice(0, ERROR_MAX);
}

/** Records a failed try of one mail; returns how many tries failed so far. */
async function recordMailFailure(db: Db, commentId: string, kind: MailKind, err: unknown, now: number): Promise<number> {
  const lastError = describeFailure(err);
  const [row] = await db
    .insert(f)
    .values({ commentId, kind, tries: 1, lastError, failedAt: now, retryAt: now + MAIL_FIRST_PAUSE_MS })
    .onConflictDoUpdate({ target: [f.commentId, f.kind], set: nextFailure(lastError, now) })
    .returning({ tries: f.tries });
  return row?.tries ?? 1;
}

/** Records a failed digest against every comment the run took (one statement, no list of ids). */
export async function recordDigestFailure(db: Db, run: number, err: unknown, now: number): Promise<void> {
  const lastError = describeFailure(err);
  const taken = db
    .select({
      commentId: comments.id,
      kind: sql<MailKind>`'digest'`.as("kind"),
      tries: sql<number>`1`.as("tries"),
      lastError: sql<string>`${lastError}`.as("last_error"),
      failedAt: sql<number>`${now}`.as("failed_at"),
      retryAt: sql<number>`${now + MAIL_FIRST_PAUSE_MS}`.as("retry_at"),
    })
    .from(comments)
    .where(and(eq(comments.heldMail, "digest"), eq(comments.heldDigestRun, run)));
  await db
    .insert(f)
    .select(taken)
    .onConflictDoUpdate({ target: [f.commentId, f.kind], set: nextFailure(lastError, now) });
}

/**
 * Sends one mail about a comment; a refusal is recorded (and logged once the
 * mail is given up), never thrown, so the mails after it still go out.
 * Returns whether it was sent; the caller records that.
 */
export async function sendCommentMail(binding: SendEmail, from: string, db: Db, ref: { commentId: string; kind: MailKind }, mail: Mail, now: number) {
  try {
    await sendMail(binding, from, mail);
    return true;
  } catch (err) {
    const tries = await recordMailFailure(db, ref.commentId, ref.kind, err, now);
    if (tries >= MAIL_MAX_TRIES) console.error(`${ref.kind} mail about comment ${ref.commentId} given up after ${tries} tries`, err);
    else console.warn(`${ref.kind} mail about comment ${ref.commentId} failed (try ${tries} of ${MAIL_MAX_TRIES}); tried again later`, err);
    return false;
  }
}
