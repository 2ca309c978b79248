// SQL for comment pages, paged as WordPress pages them: whole threads, a
// number of approved top-level comments a page, each page's threads oldest
// first. A page's top-level comments come by a bounded offset on the partial
// index comments_top_level (migration 0011), their approved replies by a
// recursive walk down comments_by_parent: the cost follows the page, not the article.
import { type SQL, sql } from "drizzle-orm";
import { visibleSql } from "../articles/visibility";
import type { Db } from "../db/client";
import { type Bound, type Holders, reusableQuery } from "../db/reuse";
import { COMMENT_APPROVED, KIND_ARTICLE } from "../db/schema";

/** Which comment page to read: a number from 1, or "last" (the newest threads). */
export type CommentPageRequest = number | "last";

/** How deep the walk up from a comment to its thread's top goes at most (imported threads may nest deeper than ours). */
const MAX_ANCESTORS = 100;

// The status as a literal, not a bound parameter: SQLite uses a partial index
// only when the query's WHERE visibly implies the index's.
const APPROVED = sql.raw(`'${COMMENT_APPROVED}'`);

// INDEXED BY: without statistics the planner prefers comments_by_article, which matches two
// equalities but holds no parent_id, and reads every comment row of the article to count its threads.
const topLevelOf = (articleSql: SQL) =>
  sql`comments INDEXED BY comments_top_level WHERE article_id = (${articleSql}) AND parent_id IS NULL AND status = ${APPROVED}`;

/** Before and after any comment's time (epoch ms), as SQL integers. */
const EARLIEST = sql.raw("-9000000000000000000");
const LATEST = sql.raw("9000000000000000000");

/** A whole number for SQL: D1 may bind a JS number as REAL, and LIMIT, OFFSET and "/" need INTEGER. */
const int = (n: Bound<number>) => sql`CAST(${n} AS INTEGER)`;

/** The page asked for, 0 standing for "last": the SQL works out the last page from the thread count itself. */
function pageSql(page: Bound<number>, perPage: Bound<number>) {
  return sql`CASE WHEN ${int(page)} = 0 THEN max(1, (n + ${int(perPage)} - 1) / ${int(perPage)}) ELSE ${int(page)} END`;
}

/**
 * What the page queries bind: the article, the page size, and the page
 * (0: the last). Their SQL is built once per isolate for paged and unpaged
 * articles: they run on every article view.
 */
type PageValues = {
  slug: string;
  perPage: number;
  page: number;
};

function toPageValues(slug: string, perPage: number, request: CommentPageRequest): PageValues {
  // Unpaged, every comment is on page 1; any other number is past the end.
  const page = request === "last" ? (perPage > 0 ? 0 : 1) : request;
  return { slug, perPage, page };
}

const pagedShape = (values: PageValues) => (values.perPage > 0 ? "paged" : "whole");

// Drizzle batches only its query builders: each page query is a select from a
// subquery written in SQL, its columns mapped by position.

/** The thread count of an article, as a table of one row and column n. */
const threadCount = (slug: Bound<string>) => sql`(SELECT count(*) AS n FROM ${topLevelOf(sql`SELECT id FROM articles WHERE slug = ${slug}`)})`;

const threadCountAndPage = reusableQuery((db, p: Holders<PageValues>, values: PageValues) => {
  const page = values.perPage > 0 ? pageSql(p.page, p.perPage) : int(p.page);
  // Named columns: D1 hands rows back as objects, and a column named "1" would sort before "n".
  return db.select({ threads: sql<number>`n`.as("threads"), page: sql<number>`${page}`.as("page") }).from(sql`${threadCount(p.slug)} AS counted`);
}, pagedShape);

/**
 * The thread count of an article (by slug) and the page number a request
 * resolves to, as one row; run it in the article page's batch.
 * `perPage` 0: one page holding everything.
 */
export function commentPageInfoQuery(db: Db, slug: string, perPage: number, request: CommentPageRequest) {
  return threadCountAndPage(db, toPageValues(slug, perPage, request));
}

/**
 * The threads of one page and the next page's first, as rows (created_at, id):
 * read from whichever end of the index is nearer, so the newest page (the
 * default) skips nothing. Each direction starts from a gate, a table of one row or none.
 */
function pageWindowSql(article: SQL, perPage: Bound<number>): SQL {
  const top = topLevelOf(article);
  const withNext = sql`(${int(perPage)} + 1)`;
  return sql`SELECT * FROM (SELECT created_at, id FROM front CROSS JOIN ${top}
      ORDER BY created_at, id LIMIT ${withNext} OFFSET (SELECT off FROM info))
    UNION ALL
    SELECT * FROM (SELECT created_at, id FROM back CROSS JOIN ${top}
      ORDER BY created_at DESC, id DESC LIMIT (SELECT min(${withNext}, n - off) FROM info) OFFSET (SELECT max(0, n - off - ${withNext}) FROM info))`;
}

const commentsOfPage = reusableQuery((db, p: Holders<PageValues>, values: PageValues) => {
  const article = sql`SELECT id FROM articles WHERE slug = ${p.slug}`;
  const paged = values.perPage > 0;
  // The thread count once, and where the page starts among the threads.
  const info = sql`info(n, off) AS MATERIALIZED (SELECT n, (${pageSql(p.page, p.perPage)} - 1) * ${int(p.perPage)} FROM ${threadCount(p.slug)})`;
  const windowed = paged
    ? sql`${info},
      front(yes) AS MATERIALIZED (SELECT 1 FROM info WHERE off * 2 <= n),
      back(yes) AS MATERIALIZED (SELECT 1 FROM info WHERE off * 2 > n),
      win(created_at, id) AS MATERIALIZED (${pageWindowSql(article, p.perPage)}),
      tops(id) AS (SELECT id FROM win ORDER BY created_at, id LIMIT ${int(p.perPage)}),
      bounds(lo, hi) AS (SELECT
        CASE WHEN (SELECT off FROM info) = 0 THEN ${EARLIEST} ELSE (SELECT min(created_at) FROM win) END,
        coalesce((SELECT created_at FROM win ORDER BY created_at, id LIMIT 1 OFFSET ${int(p.perPage)}), ${LATEST})),`
    : sql`tops(id) AS (SELECT id FROM ${topLevelOf(article)}),
      bounds(lo, hi) AS (SELECT ${EARLIEST}, ${LATEST}),`;
  const page = sql`(
    WITH RECURSIVE
      ${windowed}
      orphans(id) AS (
        SELECT c.id FROM bounds, comments c
        WHERE c.article_id = (${article}) AND c.status = ${APPROVED} AND c.created_at >= bounds.lo AND c.created_at < bounds.hi
          AND c.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM comments p WHERE p.id = c.parent_id AND p.status = ${APPROVED})),
      thread(id) AS (
        SELECT id FROM tops
        UNION ALL
        SELECT id FROM orphans
        UNION ALL
        -- "+": replies are found by their parent (comments_by_parent), never by scanning every approved comment.
        SELECT c.id FROM thread JOIN comments c ON c.parent_id = thread.id WHERE +c.status = ${APPROVED})
    -- CROSS JOIN keeps this order: the page's few ids first, each comment by its primary key.
    SELECT c.id, c.parent_id, c.author, c.url, c.body_html, c.created_at, c.by_editor, c.wordpress_id
    FROM thread CROSS JOIN comments c ON c.id = thread.id) AS page`;
  return db
    .select({
      id: sql<string>`id`,
      parentId: sql<string | null>`parent_id`,
      author: sql<string>`author`,
      url: sql<string | null>`url`,
      bodyHtml: sql<string>`body_html`,
      createdAt: sql<number>`created_at`,
      byEditor: sql<boolean>`by_editor`.mapWith(Boolean),
      wordpressId: sql<string | null>`wordpress_id`,
    })
    .from(page)
    .orderBy(sql`created_at, id`);
}, pagedShape);

/**
 * The approved comments of one comment page (its threads whole), oldest first;
 * run it in the article page's batch. A reply whose parent is not shown (taken
 * back, spam) stands on its own, on the page whose threads began around it:
 * from this page's first thread up to the next page's, found on the
 * (article, status, created_at) index within that window only.
 */
export function commentPageQuery(db: Db, slug: string, perPage: number, request: CommentPageRequest) {
  return commentsOfPage(db, toPageValues(slug, perPage, request));
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
  // Up through approved ancestors to the comment that stands at the top: a top-level
  // comment, or a reply whose parent is not shown (placed by its time; see commentPageQuery).
  const rows = await db.all<CommentPlace>(sql`
    WITH RECURSIVE chain(id, parent_id, depth) AS (
      SELECT id, parent_id, 1 FROM comments WHERE id = ${id} AND status = ${APPROVED}
      UNION ALL
      SELECT p.id, p.parent_id, chain.depth + 1 FROM chain JOIN comments p ON p.id = chain.parent_id
      WHERE p.status = ${APPROVED} AND chain.depth < ${MAX_ANCESTORS})
    SELECT a.id AS articleId, a.slug AS slug,
      CASE WHEN root.parent_id IS NULL THEN
        (SELECT count(*) FROM comments o INDEXED BY comments_top_level WHERE o.article_id = a.id AND o.parent_id IS NULL AND o.status = ${APPROVED}
          AND (o.created_at < root.created_at OR (o.created_at = root.created_at AND o.id < root.id)))
      ELSE max(0, (SELECT count(*) FROM comments o INDEXED BY comments_top_level WHERE o.article_id = a.id AND o.parent_id IS NULL
          AND o.status = ${APPROVED} AND o.created_at <= root.created_at) - 1) END AS threadsBefore,
      (SELECT count(*) FROM comments o INDEXED BY comments_top_level WHERE o.article_id = a.id AND o.parent_id IS NULL AND o.status = ${APPROVED}) AS threads
    FROM (SELECT id FROM chain ORDER BY depth DESC LIMIT 1) top JOIN comments root ON root.id = top.id JOIN articles a ON a.id = root.article_id
    WHERE ${visibleSql(KIND_ARTICLE, now, { alias: "a" })}
    LIMIT 1`);
  return rows[0] ?? null;
}
