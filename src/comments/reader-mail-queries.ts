// SQL of the commenters' mail: who asked (and confirmed) to hear of an
// approval or a reply, what was sent (comments.confirm_mail_at,
// approval_mail_at, reply_mail_at), and what waits after a failed try (see
// mail-failures.ts). Each list is due mail only, oldest first.
import { and, asc, eq, isNotNull, isNull, type SQL, sql } from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { inJsonList } from "../db/in-list";
import { articles, COMMENT_APPROVED, COMMENT_PENDING, type CommentStatus, comments } from "../db/schema";
import { isMailDue } from "./mail-failures";

/**
 * At most this many mails of each kind per call; the cron sends what is left.
 * Each costs one write, so a cron run (digest, then three kinds) stays well
 * within the Free plan's 50 queries an invocation.
 */
const MAIL_BATCH = 10;

const within = (column: typeof comments.id, ids: string[] | null): SQL | undefined => (ids ? inJsonList(column, ids) : undefined);

// The status as a filter only, never the index a list starts from (the unary
// "+" tells SQLite so): a list after a moderation starts from its few ids,
// the cron's from the partial index of mail still open (migrations/0017),
// either far fewer rows than all approved comments.
const statusIn = (column: SQLiteColumn, ...statuses: CommentStatus[]): SQL =>
  sql`+${column} IN (${sql.join(
    statuses.map((st) => sql`${st}`),
    sql`, `,
  )})`;

// Written out, not bound: the partial indexes of open mail (migrations/0017) say "notify_replies = 1".
const subscribed = (column: SQLiteColumn): SQL => sql`${column} = 1`;

/** Comments whose authors ticked "notify me" and were not yet asked to confirm; none for spam or trash. */
export function listConfirmMails(db: Db, ids: string[] | null, now: number) {
  return db
    .select({ id: comments.id, email: comments.email, title: articles.title, lang: articles.lang })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        subscribed(comments.notifyReplies),
        isNull(comments.notifyConfirmedAt),
        isNull(comments.confirmMailAt),
        statusIn(comments.status, COMMENT_PENDING, COMMENT_APPROVED),
        isMailDue(comments.id, "confirm", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

/** Approved comments whose authors asked for mail, confirmed, and were not told yet. */
export function listApprovalMails(db: Db, ids: string[] | null, now: number) {
  return db
    .select({
      id: comments.id,
      author: comments.author,
      email: comments.email,
      text: comments.bodyRaw,
      title: articles.title,
      slug: articles.slug,
      lang: articles.lang,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        isNull(comments.approvalMailAt),
        statusIn(comments.status, COMMENT_APPROVED),
        subscribed(comments.notifyReplies),
        isNotNull(comments.notifyConfirmedAt),
        isMailDue(comments.id, "approval", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

const parent = alias(comments, "parent");

/** Approved replies to approved comments whose authors asked for mail and confirmed, not yet told. */
export function listReplyMails(db: Db, ids: string[] | null, now: number) {
  return db
    .select({
      id: comments.id,
      replier: comments.author,
      replierEmail: comments.email,
      text: comments.bodyRaw,
      parentId: parent.id,
      author: parent.author,
      email: parent.email,
      title: articles.title,
      slug: articles.slug,
      lang: articles.lang,
    })
    .from(comments)
    .innerJoin(parent, eq(parent.id, comments.parentId))
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        isNotNull(comments.parentId),
        isNull(comments.replyMailAt),
        statusIn(comments.status, COMMENT_APPROVED),
        statusIn(parent.status, COMMENT_APPROVED),
        subscribed(parent.notifyReplies),
        isNotNull(parent.notifyConfirmedAt),
        isMailDue(comments.id, "reply", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

export async function setConfirmMailed(db: Db, id: string, now: number): Promise<void> {
  await db.update(comments).set({ confirmMailAt: now }).where(eq(comments.id, id));
}

export async function setApprovalMailed(db: Db, id: string, now: number): Promise<void> {
  await db.update(comments).set({ approvalMailAt: now }).where(eq(comments.id, id));
}

export async function setReplyMailed(db: Db, id: string, now: number): Promise<void> {
  await db.update(comments).set({ replyMailAt: now }).where(eq(comments.id, id));
}

/**
 * Confirms the subscription of this comment (its author followed the link in
 * the confirmation mail); again is fine. False when there is none: the
 * comment is gone or its author unsubscribed.
 */
export async function confirmSubscription(db: Db, id: string, now: number): Promise<boolean> {
  const rows = await db
    .update(comments)
    .set({ notifyConfirmedAt: sql`coalesce(${comments.notifyConfirmedAt}, ${now})` })
    .where(and(eq(comments.id, id), eq(comments.notifyReplies, true)))
    .returning({ id: comments.id });
  return rows.length > 0;
}

/** Stops all mail about this comment; false when there is no such comment. */
export async function unsubscribeComment(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(comments).set({ notifyReplies: false }).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length > 0;
}
