// SQL for comment pages, paged as WordPress pages them: whole threads, a
// number of approved top-level comments a page, each page's threads oldest
// first. A page's top-level comments come by a bounded offset on the partial
// index comments_top_level (migration 0011), their approved replies by a
// recursive walk down comments_by_parent: the cost follows the page, not the article.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ARTICLE_PUBLISHED, COMMENT_APPROVED, KIND_ARTICLE } from "../db/schema";

/** Which comment page to read: a number from 1, or "last" (the newest threads). */
export type CommentPageRequest = number | "last";

/** How deep the walk up from a comment to its thread's top goes at most (imported threads may nest deeper than ours). */
const MAX_ANCESTORS = 100;

// The status as a literal, not a bound parameter: SQLite uses a partial index
// only when the query's WHERE visibly implies the index's.
const APPROVED = sql.raw(`'${COMMENT_APPROVED}'`);

// INDEXED BY: without statistics the planner prefers comments_by_article, which matches two
// equalities but holds no parent_id, and reads every comment row of the article to count its threads.
const topLevelOf = (articleSql: ReturnType<typeof sql>) =>
  sql`comments INDEXED BY comments_top_level WHERE article_id = (${articleSql}) AND parent_id IS NULL AND status = ${APPROVED}`;

/** A whole number for SQL: D1 may bind a JS number as REAL, and LIMIT, OFFSET and "/" need INTEGER. */
const int = (n: number) => sql`CAST(${n} AS INTEGER)`;

/** 0 stands for "last" in the SQL, which works out the last page from the thread count itself. */
function pageSql(request: CommentPageRequest, perPage: number) {
  const page = int(request === "last" ? 0 : request);
  return sql`CASE WHEN ${page} = 0 THEN max(1, (n + ${int(perPage)} - 1) / ${int(perPage)}) ELSE ${page} END`;
}

// Drizzle batches only its query builders: each page query is a select from a
// subquery written in SQL, its columns mapped by position.

/** The thread count of an article, as a table of one row and column n. */
const threadCount = (slug: string) => sql`(SELECT count(*) AS n FROM ${topLevelOf(sql`SELECT id FROM articles WHERE slug = ${slug}`)})`;

/**
 * The thread count of an article (by slug) and the page number a request
 * resolves to, as one row; run it in the article page's batch.
 * `perPage` 0: one page holding everything.
 */
export function commentPageInfoQuery(db: Db, slug: string, perPage: number, request: CommentPageRequest) {
  // Unpaged, every comment is on page 1; any other number is past the end.
  const page = perPage > 0 ? pageSql(request, perPage) : int(request === "last" ? 1 : request);
  return db.select({ threads: sql<number>`n`, page: sql<number>`${page}` }).from(sql`${threadCount(slug)} AS counted`);
}

/** The approved comments of one comment page (its threads whole), oldest first; run it in the article page's batch. */
export function commentPageQuery(db: Db, slug: string, perPage: number, request: CommentPageRequest) {
  const article = sql`SELECT id FROM articles WHERE slug = ${slug}`;
  const slice = perPage > 0 ? sql`LIMIT ${int(perPage)} OFFSET (SELECT (${pageSql(request, perPage)} - 1) * ${int(perPage)} FROM ${threadCount(slug)})` : sql``;
  const page = sql`(
    WITH RECURSIVE
      tops(id) AS (SELECT id FROM ${topLevelOf(article)} ORDER BY created_at, id ${slice}),
      thread(id) AS (
        SELECT id FROM tops
        UNION ALL
        -- "+": replies are found by their parent (comments_by_parent), never by scanning every approved comment.
        SELECT c.id FROM thread JOIN comments c ON c.parent_id = thread.id WHERE +c.status = ${APPROVED})
    -- CROSS JOIN keeps this order: the page's few ids first, each comment by its primary key.
    SELECT c.id, c.parent_id, c.author, c.url, c.body_html, c.created_at
    FROM thread CROSS JOIN comments c ON c.id = thread.id) AS page`;
  return db
    .select({
      id: sql<string>`id`,
      parentId: sql<string | null>`parent_id`,
      author: sql<string>`author`,
      url: sql<string | null>`url`,
      bodyHtml: sql<string>`body_html`,
      createdAt: sql<number>`created_at`,
    })
    .from(page)
    .orderBy(sql`created_at, id`);
}

export interface CommentPlace {
  articleId: number;
  slug: string;
  /** Approved top-level comments before this comment's thread. */
  threadsBefore: number;
  /** Approved top-level comments of the article. */
  threads: number;
}

/**
 * Where an approved comment is shown: its visible article and its thread's
 * place among the article's threads; null when it is not shown (not approved,
 * a reply under a comment that is not, or its article not visible).
 */
export async function getCommentPlace(db: Db, id: string, now: number): Promise<CommentPlace | null> {
  const rows = await db.all<CommentPlace>(sql`
    WITH RECURSIVE chain(id, parent_id, status, depth) AS (
      SELECT id, parent_id, status, 1 FROM comments WHERE id = ${id}
      UNION ALL
      SELECT c.id, c.parent_id, c.status, chain.depth + 1 FROM comments c JOIN chain ON c.id = chain.parent_id WHERE chain.depth < ${MAX_ANCESTORS})
    SELECT a.id AS articleId, a.slug AS slug,
      (SELECT count(*) FROM comments o INDEXED BY comments_top_level WHERE o.article_id = a.id AND o.parent_id IS NULL AND o.status = ${APPROVED}
        AND (o.created_at < root.created_at OR (o.created_at = root.created_at AND o.id < root.id))) AS threadsBefore,
      (SELECT count(*) FROM comments o INDEXED BY comments_top_level WHERE o.article_id = a.id AND o.parent_id IS NULL AND o.status = ${APPROVED}) AS threads
    FROM chain JOIN comments root ON root.id = chain.id JOIN articles a ON a.id = root.article_id
    WHERE chain.parent_id IS NULL AND a.kind = ${KIND_ARTICLE} AND a.status = ${ARTICLE_PUBLISHED} AND a.published_at <= ${now}
      AND NOT EXISTS (SELECT 1 FROM chain WHERE status <> ${COMMENT_APPROVED})
    LIMIT 1`);
  return rows[0] ?? null;
}
