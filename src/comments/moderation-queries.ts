// SQL for moderators: listing, counting, deciding, editing, deleting comments,
// deleting old spam and trash, and the failed queue messages.
import { and, desc, eq, inArray, isNull, lt, ne, or, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { inJsonList } from "../db/in-list";
import { articles, type CommentRecord, type CommentStatus, comments, failedMessages } from "../db/schema";
import { type ModerationAction, statusForAction } from "./moderation";

/** A comment as moderators see it: its row, its article, and whom it answers. */
export interface AdminComment
  extends Pick<
    CommentRecord,
    | "id"
    | "articleId"
    | "parentId"
    | "author"
    | "email"
    | "url"
    | "bodyRaw"
    | "bodyHtml"
    | "status"
    | "reasons"
    | "ipHash"
    | "userAgent"
    | "createdAt"
    | "decidedAt"
    | "byEditor"
  > {
  articleSlug: string;
  articleTitle: string;
  /** The name on the comment this one answers (null when it is not a reply or that one is gone). */
  parentAuthor: string | null;
}

const parent = alias(comments, "parent");

const adminColumns = {
  id: comments.id,
  articleId: comments.articleId,
  articleSlug: articles.slug,
  articleTitle: articles.title,
  parentId: comments.parentId,
  parentAuthor: parent.author,
  author: comments.author,
  email: comments.email,
  url: comments.url,
  bodyRaw: comments.bodyRaw,
  bodyHtml: comments.bodyHtml,
  status: comments.status,
  reasons: comments.reasons,
  ipHash: comments.ipHash,
  userAgent: comments.userAgent,
  createdAt: comments.createdAt,
  decidedAt: comments.decidedAt,
  byEditor: comments.byEditor,
};

export interface CommentCursor {
  createdAt: number;
  id: string;
}

/** Comments newest first, filtered by status and article, one page after `cursor`. */
export async function listCommentsForAdmin(
  db: Db,
  q: { status?: CommentStatus; articleSlug?: string; cursor?: CommentCursor; limit: number },
): Promise<AdminComment[]> {
  const after = q.cursor
    ? or(lt(comments.createdAt, q.cursor.createdAt), and(eq(comments.createdAt, q.cursor.createdAt), lt(comments.id, q.cursor.id)))
    : undefined;
  return db
    .select(adminColumns)
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .leftJoin(parent, eq(parent.id, comments.parentId))
    .where(and(q.status ? eq(comments.status, q.status) : undefined, q.articleSlug ? eq(articles.slug, q.articleSlug) : undefined, after))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(q.limit);
}

/** One comment with everything a moderator may see, or null. */
export async function getCommentForAdmin(db: Db, id: string): Promise<AdminComment | null> {
  const [row] = await db
    .select(adminColumns)
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .leftJoin(parent, eq(parent.id, comments.parentId))
    .where(eq(comments.id, id))
    .limit(1);
  return row ?? null;
}

/** How many comments have each status. */
export async function countCommentsByStatus(db: Db): Promise<Record<CommentStatus, number>> {
  const rows = await db.select({ status: comments.status, n: sql<number>`count(*)` }).from(comments).groupBy(comments.status);
  const counts: Record<CommentStatus, number> = { pending: 0, approved: 0, spam: 0, trash: 0 };
  for (const row of rows) counts[row.status] = row.n;
  return counts;
}

/** The update that sets the status of the given comments (those that had another), returning what changed. */
export function setCommentStatusQuery(db: Db, ids: string[], status: CommentStatus, now: number) {
  return db
    .update(comments)
    .set({ status, decidedAt: now })
    .where(and(inJsonList(comments.id, ids), ne(comments.status, status)))
    .returning({ id: comments.id, articleId: comments.articleId });
}

/** The delete of the given comments, for good, returning what went; their replies stay, as top-level comments. */
function deleteCommentsQuery(db: Db, ids: string[]) {
  return db.delete(comments).where(inJsonList(comments.id, ids)).returning({ id: comments.id, articleId: comments.articleId });
}

/** The one statement that applies an action to the given comments (any number: one bound value) and returns the rows it changed. */
export function moderationQuery(db: Db, ids: string[], action: ModerationAction, now: number) {
  const status = statusForAction(action);
  return status === null ? deleteCommentsQuery(db, ids) : setCommentStatusQuery(db, ids, status, now);
}

/** The update that replaces a comment's text and its sanitized HTML, returning its article and status. */
export function setCommentTextQuery(db: Db, id: string, bodyRaw: string, bodyHtml: string) {
  return db.update(comments).set({ bodyRaw, bodyHtml }).where(eq(comments.id, id)).returning({ articleId: comments.articleId, status: comments.status });
}

/** Deletes spam and trash decided before `before`; returns how many went. */
export async function deleteDecidedComments(db: Db, before: number): Promise<number> {
  const gone = await db
    .delete(comments)
    .where(and(inArray(comments.status, ["spam", "trash"]), lt(sql`coalesce(${comments.decidedAt}, ${comments.createdAt})`, before)))
    .returning({ id: comments.id });
  return gone.length;
}

/** Forgets flood/duplicate records older than `before`. */
export async function deleteOldSubmissions(db: Db, before: number): Promise<void> {
  await db.run(sql`DELETE FROM comment_submissions WHERE created_at < ${before}`);
}

export type FailedMessage = typeof failedMessages.$inferSelect;

/** Queue messages that could not be stored and no editor has dealt with yet, newest first. */
export function listOpenFailedMessages(db: Db, limit = 50): Promise<FailedMessage[]> {
  return db.select().from(failedMessages).where(isNull(failedMessages.resolvedAt)).orderBy(desc(failedMessages.createdAt)).limit(limit);
}

export async function getFailedMessage(db: Db, id: string): Promise<FailedMessage | null> {
  const [row] = await db.select().from(failedMessages).where(eq(failedMessages.id, id)).limit(1);
  return row ?? null;
}

/**
 * Deletes failed messages resolved before `before`, and open ones recorded
 * before it that no editor took up: they hold a commenter's e-mail, IP hash
 * and text. Returns how many went.
 */
export async function deleteExpiredFailedMessages(db: Db, before: number): Promise<number> {
  const expired = or(lt(failedMessages.resolvedAt, before), and(isNull(failedMessages.resolvedAt), lt(failedMessages.createdAt, before)));
  const gone = await db.delete(failedMessages).where(expired).returning({ id: failedMessages.id });
  return gone.length;
}

/** Marks a failed message as dealt with; it stays in the table, out of the admin's list. False when there is no open one. */
export async function setFailedMessageResolved(db: Db, id: string, now: number): Promise<boolean> {
  const done = await db
    .update(failedMessages)
    .set({ resolvedAt: now })
    .where(and(eq(failedMessages.id, id), isNull(failedMessages.resolvedAt)))
    .returning({ id: failedMessages.id });
  return done.length === 1;
}
