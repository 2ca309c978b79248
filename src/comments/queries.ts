// All SQL on comments, comment submissions and failed queue messages.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  ARTICLE_PUBLISHED,
  articles,
  COMMENT_APPROVED,
  commentSubmissions,
  comments,
  type CommentStatus,
  failedMessages,
  type Language,
} from "../db/schema";

/** How deep replies may nest: a comment at this depth takes no replies. */
export const MAX_THREAD_DEPTH = 5;

export interface SubmissionFacts {
  article: { id: number; lang: Language; comments: "open" | "closed" } | null;
  /** The parent comment, with its depth (1 = top level), or null when none was asked for or it is missing. */
  parent: { articleId: number; status: CommentStatus; depth: number } | null;
  /** Newest earlier submission from the same IP or e-mail, epoch ms. */
  lastFromSameSender: number | null;
  /** Submissions from this IP within the rate window, and when the oldest of them came. */
  recentFromIp: { count: number; oldest: number | null };
  duplicate: boolean;
}

/** Everything the endpoint checks before queueing a comment, in one D1 round trip. */
export async function getSubmissionFacts(
  db: Db,
  q: { slug: string; parentId: string | null; ipHash: string | null; emailHash: string; fingerprint: string; now: number; floodSince: number; rateSince: number },
): Promise<SubmissionFacts> {
  const [article, parent, last, rate, dup] = await db.batch([
    db
      .select({ id: articles.id, lang: articles.lang, comments: articles.comments })
      .from(articles)
      .where(and(eq(articles.slug, q.slug), eq(articles.status, ARTICLE_PUBLISHED), sql`${articles.publishedAt} <= ${q.now}`))
      .limit(1),
    db.all<{ articleId: number; status: CommentStatus; depth: number }>(sql`
      WITH RECURSIVE chain(id, parent_id, depth) AS (
        SELECT id, parent_id, 1 FROM comments WHERE id = ${q.parentId ?? ""}
        UNION ALL
        SELECT c.id, c.parent_id, chain.depth + 1 FROM comments c JOIN chain ON c.id = chain.parent_id
        WHERE chain.depth <= ${MAX_THREAD_DEPTH}
      )
      SELECT c.article_id AS articleId, c.status AS status, (SELECT max(depth) FROM chain) AS depth
      FROM comments c WHERE c.id = ${q.parentId ?? ""}`),
    db.all<{ last: number | null }>(sql`
      SELECT max(created_at) AS last FROM comment_submissions
      WHERE created_at > ${q.floodSince} AND (email_hash = ${q.emailHash} OR ip_hash = ${q.ipHash})`),
    db.all<{ count: number; oldest: number | null }>(sql`
      SELECT count(*) AS count, min(created_at) AS oldest FROM comment_submissions
      WHERE ip_hash = ${q.ipHash} AND created_at > ${q.rateSince}`),
    db.all<{ dup: number }>(sql`
      SELECT EXISTS (SELECT 1 FROM comment_submissions WHERE fingerprint = ${q.fingerprint}) AS dup`),
  ]);
  return {
    article: article[0] ?? null,
    parent: q.parentId ? (parent[0] ?? null) : null,
    lastFromSameSender: last[0]?.last ?? null,
    recentFromIp: { count: rate[0]?.count ?? 0, oldest: rate[0]?.oldest ?? null },
    duplicate: (dup[0]?.dup ?? 0) === 1,
  };
}

/** Records an accepted submission; false when the same comment was recorded already. */
export async function insertSubmission(db: Db, row: typeof commentSubmissions.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(commentSubmissions).values(row).onConflictDoNothing().returning({ id: commentSubmissions.id });
  return inserted.length === 1;
}

/** Forgets a submission whose message never reached the queue, so the submitter can try again. */
export async function deleteSubmission(db: Db, id: string): Promise<void> {
  await db.delete(commentSubmissions).where(eq(commentSubmissions.id, id));
}

/** Stores a comment unless a row with its id exists (queue redelivery). True when it was new. */
export async function insertCommentOnce(db: Db, row: typeof comments.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(comments).values(row).onConflictDoNothing({ target: comments.id }).returning({ id: comments.id });
  return inserted.length === 1;
}

/** Whether this name and e-mail have an approved comment (WordPress's "previously approved"). */
export async function hasApprovedComment(db: Db, author: string, email: string): Promise<boolean> {
  const [row] = await db
    .select({ id: comments.id })
    .from(comments)
    .where(and(eq(comments.status, COMMENT_APPROVED), eq(comments.author, author), sql`lower(${comments.email}) = lower(${email})`))
    .limit(1);
  return row !== undefined;
}

/** Keeps a queue message that could not be stored, for the moderators. */
export async function recordFailedMessage(db: Db, row: { queue: string; messageId: string; body: unknown; error: string; attempts: number; now: number }): Promise<void> {
  let body: string;
  try {
    body = JSON.stringify(row.body) ?? String(row.body);
  } catch {
    body = String(row.body);
  }
  await db
    .insert(failedMessages)
    .values({ id: `${row.queue}:${row.messageId}`, queue: row.queue, body, error: row.error, attempts: row.attempts, createdAt: row.now })
    .onConflictDoNothing();
}

export interface PublicComment {
  id: string;
  parentId: string | null;
  author: string;
  url: string | null;
  bodyHtml: string;
  createdAt: number;
}

/** The approved comments of an article by its slug, oldest first. No e-mail: this feeds public pages. */
export function approvedCommentsQuery(db: Db, slug: string) {
  return db
    .select({
      id: comments.id,
      parentId: comments.parentId,
      author: comments.author,
      url: comments.url,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(and(eq(articles.slug, slug), eq(comments.status, COMMENT_APPROVED)))
    .orderBy(asc(comments.createdAt), asc(comments.id));
}
