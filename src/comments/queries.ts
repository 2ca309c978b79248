// SQL on stored comments as the queue consumer writes them, and the record of
// a queue message that could not be stored. The endpoint's checks before
// queueing are in ./submission-queries.ts, the moderation's in ./moderation-queries.ts.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { summarizeError } from "../db/error-text";
import { inJsonList } from "../db/in-list";
import { articles, COMMENT_APPROVED, type CommentStatus, comments, failedMessages } from "../db/schema";
import { COMMENT_LIMITS } from "./message";

/** How deep replies may nest: a comment at this depth takes no replies. */
export const MAX_THREAD_DEPTH = 5;

/** How deep a comment sits in its thread (1 = top level), counting at most MAX_THREAD_DEPTH + 1. */
export async function getCommentDepth(db: Db, id: string): Promise<number> {
  const rows = await db.all<{ depth: number | null }>(sql`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 1 FROM comments WHERE id = ${id}
      UNION ALL
      SELECT c.id, c.parent_id, chain.depth + 1 FROM comments c JOIN chain ON c.id = chain.parent_id
      WHERE chain.depth <= ${MAX_THREAD_DEPTH})
    SELECT max(depth) AS depth FROM chain`);
  return rows[0]?.depth ?? 0;
}

export type NewComment = typeof comments.$inferInsert;

/** The insert of a comment unless a row with its id exists (queue redelivery): it returns the id when it was new. */
export function insertCommentQuery(db: Db, row: NewComment) {
  return db.insert(comments).values(row).onConflictDoNothing({ target: comments.id }).returning({ id: comments.id });
}

/** Stores a comment unless a row with its id exists (queue redelivery). True when it was new. */
export async function insertCommentOnce(db: Db, row: NewComment): Promise<boolean> {
  return (await insertCommentQuery(db, row)).length === 1;
}

/** What the consumer needs to know of a stored comment to finish its effects, or null. */
export async function getStoredCommentState(db: Db, id: string) {
  const [row] = await db
    .select({ status: comments.status, reasons: comments.reasons, articleId: comments.articleId, effectsDoneAt: comments.effectsDoneAt })
    .from(comments)
    .where(eq(comments.id, id))
    .limit(1);
  return row ?? null;
}

/** Whether a comment with this id is stored (any status). */
export async function commentExists(db: Db, id: string): Promise<boolean> {
  const [row] = await db.select({ id: comments.id }).from(comments).where(eq(comments.id, id)).limit(1);
  return row !== undefined;
}

/** Records that the purge and notices after storing these comments are done, in one statement. */
export async function setCommentEffectsDone(db: Db, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db.update(comments).set({ effectsDoneAt: now }).where(inJsonList(comments.id, ids));
}

/** What storing a queue batch must know before it writes: each list binds one parameter, whatever its length. */
export interface QueuedBatchQuery {
  ids: string[];
  articleIds: number[];
  parentIds: string[];
  /** Name and e-mail of each comment whose author may have been approved before (first_time); empty otherwise. */
  authors: { author: string; email: string }[];
}

/**
 * The stored state of the batch's comments (a redelivery finds its row), the
 * articles and parents that still exist, and which authors have an approved
 * comment (by index into `authors`, as hasApprovedComment decides it), in one
 * round trip for the whole batch.
 */
export async function getQueuedBatchFacts(db: Db, q: QueuedBatchQuery) {
  const pairs = JSON.stringify(q.authors.map((a) => [a.author, a.email]));
  const [stored, existingArticles, parents, approved] = await db.batch([
    db
      .select({ id: comments.id, status: comments.status, reasons: comments.reasons, effectsDoneAt: comments.effectsDoneAt })
      .from(comments)
      .where(inJsonList(comments.id, q.ids)),
    db.select({ id: articles.id }).from(articles).where(inJsonList(articles.id, q.articleIds)),
    db.select({ id: comments.id }).from(comments).where(inJsonList(comments.id, q.parentIds)),
    db
      .select({ i: sql<number>`a.key` })
      .from(sql`json_each(${pairs}) a`)
      .where(
        sql`EXISTS (SELECT 1 FROM ${comments} c WHERE lower(c.email) = lower(json_extract(a.value, '$[1]')) AND c.status = ${COMMENT_APPROVED}
          AND c.author = json_extract(a.value, '$[0]') AND c.by_editor = 0)`,
      ),
  ]);
  return {
    stored: new Map(stored.map((r) => [r.id, r])),
    articleIds: new Set(existingArticles.map((r) => r.id)),
    parentIds: new Set(parents.map((r) => r.id)),
    approvedAuthors: new Set(approved.map((r) => Number(r.i))),
  };
}

/**
 * Whether a reader with this name and e-mail has an approved comment (WordPress's
 * "previously approved"). The editor's replies do not count: they carry the
 * editor's name and e-mail, which a reader can type too.
 */
export async function hasApprovedComment(db: Db, author: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(
      and(eq(comments.status, COMMENT_APPROVED), eq(comments.author, author), sql`lower(${comments.email}) = lower(${email})`, eq(comments.byEditor, false)),
    )
    .limit(1);
  return row !== undefined;
}

const utf8 = new TextEncoder();
const lenientUtf8 = new TextDecoder();

/**
 * Half of D1's 2,000,000-byte limit for one value, so the record itself can
 * always be stored. The producer's messages are far smaller (the queue takes
 * 128 KB): only a message made elsewhere is cut.
 */
const MAX_RECORDED_BODY_BYTES = 1_000_000;

function serializeBody(body: unknown, maxString: number): string {
  try {
    // The comment travels as UTF-8 bytes: record it as the text it is, so a retry can read it.
    const text = JSON.stringify(body, (_, value) => {
      const s = value instanceof Uint8Array ? lenientUtf8.decode(value) : value;
      return typeof s === "string" && s.length > maxString ? `${s.slice(0, maxString)}…` : s;
    });
    return text ?? String(body);
  } catch {
    return String(body);
  }
}

function toRecordedBody(body: unknown): string {
  const whole = serializeBody(body, Number.POSITIVE_INFINITY);
  if (whole.length * 3 <= MAX_RECORDED_BODY_BYTES || utf8.encode(whole).byteLength <= MAX_RECORDED_BODY_BYTES) return whole;
  // Too large: no field longer than a comment can be, so the comment and who wrote it stay whole.
  const cut = serializeBody(body, COMMENT_LIMITS.comment);
  const bytes = utf8.encode(cut);
  return bytes.byteLength <= MAX_RECORDED_BODY_BYTES ? cut : lenientUtf8.decode(bytes.subarray(0, MAX_RECORDED_BODY_BYTES));
}

/** Keeps queue messages that could not be stored, for the moderators, in one round trip; each `error` is cut short, and must hold no SQL parameters. */
export async function recordFailedMessages(
  db: Db,
  rows: { queue: string; messageId: string; body: unknown; error: string; attempts: number; now: number }[],
): Promise<void> {
  const inserts = rows.map((row) =>
    db
      .insert(failedMessages)
      .values({
        id: `${row.queue}:${row.messageId}`,
        queue: row.queue,
        body: toRecordedBody(row.body),
        error: summarizeError(row.error),
        attempts: row.attempts,
        createdAt: row.now,
      })
      .onConflictDoNothing(),
  );
  const [first, ...rest] = inserts;
  if (first) await db.batch([first, ...rest]);
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  author: string;
  /** The editor's reply (written in the admin): shown with the editor's mark. */
  byEditor: boolean;
  url: string | null;
  bodyHtml: string;
  createdAt: number;
  /** Imported from WordPress: its id there, whose old anchor (#comment-<id>) its page keeps. */
  wordpressId?: string | null;
}

/** A stored comment as its submitter sees it, with its status and its article's slug. */
export interface OwnComment extends PublicComment {
  status: CommentStatus;
  articleSlug: string;
}

/** The comment with this id as its submitter's link shows it (any status), or null when it is not stored (yet). */
export async function getOwnComment(db: Db, id: string): Promise<OwnComment | null> {
  const [row] = await db
    .select({
      id: comments.id,
      parentId: comments.parentId,
      author: comments.author,
      byEditor: comments.byEditor,
      url: comments.url,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      status: comments.status,
      articleSlug: articles.slug,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(eq(comments.id, id))
    .limit(1);
  return row ?? null;
}
