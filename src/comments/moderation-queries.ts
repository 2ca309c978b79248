// SQL for moderators: listing, counting, deciding, editing, deleting comments,
// deleting old spam and trash, and the failed queue messages.
import { and, desc, eq, isNull, ne, sql } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { inJsonList } from "../db/in-list";
import { articles, type CommentRecord, type CommentStatus, commentCounts, comments, failedMessages } from "../db/schema";
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

/** Before every comment: the first page's cursor, so that every page is one range on an index (migrations/0023). */
const NEWEST: CommentCursor = { createdAt: Number.MAX_SAFE_INTEGER, id: "" };

/** Comments newest first, filtered by status and article, one page after `cursor`. */
export async function listCommentsForAdmin(
  db: Db,
  q: { status?: CommentStatus; articleSlug?: string; cursor?: CommentCursor; limit: number },
): Promise<AdminComment[]> {
  const cursor = q.cursor ?? NEWEST;
  // A row value: SQLite takes it as a range on (created_at, id) of comments_by_time or comments_by_status.
  const after = sql`(${comments.createdAt}, ${comments.id}) < (${cursor.createdAt}, ${cursor.id})`;
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

/** How many comments have each status: four rows the triggers of migrations/0023 keep. */
export async function countCommentsByStatus(db: Db): Promise<Record<CommentStatus, number>> {
  const rows = await db.select({ status: commentCounts.status, n: commentCounts.n }).from(commentCounts);
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

/**
 * Rows one clean-up statement deletes at most: each statement stays short,
 * whatever waits, and says how many it deleted, not which.
 */
export const EXPIRE_CHUNK = 1000;

/**
 * Runs a DELETE (or UPDATE) and returns how many rows it changed: SQLite's changes(),
 * asked in the same batch, counts the statement's own rows (D1's
 * meta.changes also counts what its triggers wrote). Raw statements:
 * drizzle's batch takes only its query builders.
 */
async function countDeleted(db: Db, remove: string, ...params: unknown[]): Promise<number> {
  const d1 = db.$client;
  const [, counted] = await d1.batch<{ n: number }>([d1.prepare(remove).bind(...params), d1.prepare("SELECT changes() AS n")]);
  return counted?.results[0]?.n ?? 0;
}

/** Deletes up to EXPIRE_CHUNK spam and trash comments decided before `before`; returns how many went. */
export function deleteDecidedComments(db: Db, before: number): Promise<number> {
  // The status list is written out as comments_expiring's WHERE has it, so SQLite can use that index.
  return countDeleted(
    db,
    `DELETE FROM comments WHERE id IN (
       SELECT id FROM comments WHERE status IN ('spam', 'trash') AND coalesce(decided_at, created_at) < ? LIMIT ?)`,
    before,
    EXPIRE_CHUNK,
  );
}

/** Forgets up to EXPIRE_CHUNK flood/duplicate records older than `before`; returns how many went. */
export function deleteOldSubmissions(db: Db, before: number): Promise<number> {
  return countDeleted(
    db,
    "DELETE FROM comment_submissions WHERE id IN (SELECT id FROM comment_submissions WHERE created_at < ? LIMIT ?)",
    before,
    EXPIRE_CHUNK,
  );
}

/**
 * Clears the IP hash and user agent of up to EXPIRE_CHUNK comments submitted
 * before `before`; returns how many. The WHERE is comments_with_client's, so
 * the run reads only comments that still hold either.
 */
export function clearOldClientData(db: Db, before: number): Promise<number> {
  return countDeleted(
    db,
    `UPDATE comments SET ip_hash = NULL, user_agent = NULL WHERE id IN (
       SELECT id FROM comments WHERE (ip_hash IS NOT NULL OR user_agent IS NOT NULL) AND created_at < ? LIMIT ?)`,
    before,
    EXPIRE_CHUNK,
  );
}

/** Forgets up to EXPIRE_CHUNK requests for a "your data" link made before `before`; returns how many went. */
export function deleteOldLinkRequests(db: Db, before: number): Promise<number> {
  return countDeleted(db, "DELETE FROM data_link_requests WHERE id IN (SELECT id FROM data_link_requests WHERE created_at < ? LIMIT ?)", before, EXPIRE_CHUNK);
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
 * and text. Up to EXPIRE_CHUNK at a time; returns how many went.
 */
export function deleteExpiredFailedMessages(db: Db, before: number): Promise<number> {
  return countDeleted(
    db,
    `DELETE FROM failed_messages WHERE id IN (
       SELECT id FROM failed_messages WHERE resolved_at < ?1 OR (resolved_at IS NULL AND created_at < ?1) LIMIT ?2)`,
    before,
    EXPIRE_CHUNK,
  );
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
