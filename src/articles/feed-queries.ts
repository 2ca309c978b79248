// SQL on articles for feeds and the sitemap: each list in one query, with
// what a feed entry needs (tags, stored HTML).
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ARTICLE_PUBLISHED, articles, KIND_ARTICLE, type Language } from "../db/schema";
import { type ArticleSummary, entryColumns, hasTag, isVisible, isVisiblePage, nextScheduledSql, parseTagList } from "./queries";
import { representsGroup } from "./translations";

/** An article as a feed shows it: a list entry with its HTML (no comment count). */
export interface FeedArticle extends Omit<ArticleSummary, "commentCount"> {
  bodyHtml: string | null;
}

/** The newest visible articles (optionally of one tag), one per translation group, with tags and HTML, in one query. */
export async function listFeedArticles(
  db: Db,
  opts: { now: number; limit: number; defaultLang: Language; tagSlug?: string },
): Promise<{ items: FeedArticle[]; nextScheduledAt: number | null }> {
  const rows = await db
    .select({
      ...entryColumns,
      bodyHtml: articles.bodyHtml,
      nextScheduled: nextScheduledSql(opts.now),
    })
    .from(articles)
    .where(and(isVisible(opts.now), opts.tagSlug ? hasTag(opts.tagSlug) : undefined, representsGroup(opts.now, opts.defaultLang, opts.tagSlug)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(opts.limit);
  return {
    items: rows.map(({ tagList, nextScheduled: _next, ...row }) => ({ ...row, publishedAt: row.publishedAt ?? 0, tags: parseTagList(tagList) })),
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}

/** The query for the few facts a comment feed shows about a visible article; run it in a batch. */
export function visibleArticleHeadQuery(db: Db, slug: string, now: number) {
  return db
    .select({ id: articles.id, slug: articles.slug, title: articles.title, lang: articles.lang })
    .from(articles)
    .where(and(eq(articles.slug, slug), isVisible(now)))
    .limit(1);
}

export interface SitemapLists {
  /** Every URL the sitemap lists: the home page, each visible article, each tag in use. */
  total: number;
  articles: { slug: string; lastModified: number }[];
  /** When the next scheduled article becomes visible (null: none). */
  nextScheduledAt: number | null;
  /** Tags with at least one visible article, and when the newest of those changed. */
  tags: { slug: string; lastModified: number }[];
  /** Every visible static page (served at /<slug>), by slug: few, so every slice reads them all. */
  pages: { slug: string; lastModified: number }[];
}

/** At most this many static pages are listed: pages are a site's Impressum, privacy statement and a few more. */
const MAX_SITEMAP_PAGES = 1000;
/** The URLs after the articles and tags besides the pages: the archive and the tag index (src/routes/sitemap.ts). */
export const SITEMAP_TAIL_URLS = 2;

const lastModifiedSql = sql<number>`max(${articles.publishedAt}, ${articles.updatedAt})`;

/** A whole number for SQL: D1 may bind a JS number as REAL, and LIMIT and OFFSET need INTEGER. */
const int = (n: number) => sql`CAST(${n} AS INTEGER)`;

const visibleArticlesWhere = (now: number) => sql`a.kind = ${KIND_ARTICLE} AND a.status = ${ARTICLE_PUBLISHED} AND a.published_at <= ${now}`;

/**
 * One slice of the sitemap's URLs, in one D1 batch: in the order home page,
 * visible articles (newest first), tags in use (by slug), the `count` URLs
 * from position `start` (0 = the home page). Articles and tags are each read
 * from their own offset, and tags only when the slice reaches them, so a part
 * reads its own slice only (at most `count` rows each). With `unlessMoreThan`,
 * nothing but the counts is read when the sitemap has more URLs than that
 * (it is then an index, which needs only how many parts there are).
 */
export async function listSitemapEntries(db: Db, now: number, slice: { start: number; count: number; unlessMoreThan?: number }): Promise<SitemapLists> {
  const articleOffset = Math.max(0, slice.start - 1);
  const visibleCount = sql`(SELECT count(*) FROM articles a INDEXED BY articles_by_kind WHERE ${visibleArticlesWhere(now)})`;
  // Per tag, the first visible article decides: a probe per tag, not a join of every tag link.
  const usedTags = sql`(SELECT count(*) FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at CROSS JOIN articles a ON a.id = at.article_id
    WHERE at.tag_id = t.id AND ${visibleArticlesWhere(now)}))`;
  const pageCount = sql`(SELECT min(count(*), ${int(MAX_SITEMAP_PAGES)}) FROM articles WHERE ${isVisiblePage(now)})`;
  // Constant conditions: SQLite checks them once, before reading any row.
  const whole =
    slice.unlessMoreThan === undefined
      ? sql`1`
      : sql`1 + ${visibleCount} + ${usedTags} + ${int(SITEMAP_TAIL_URLS)} + ${pageCount} <= ${int(slice.unlessMoreThan)}`;
  const reachesTags = sql`${int(slice.start + slice.count)} > 1 + ${visibleCount}`;
  const tagSlice = sql`(SELECT t.slug AS slug, max(max(a.published_at, a.updated_at)) AS lm
    FROM tags t JOIN article_tags at ON at.tag_id = t.id JOIN articles a ON a.id = at.article_id
    WHERE ${visibleArticlesWhere(now)} AND ${whole} AND ${reachesTags} GROUP BY t.id ORDER BY t.slug
    LIMIT ${int(slice.count)} OFFSET max(0, ${int(articleOffset)} - ${visibleCount})) AS tag_slice`;
  const [[counts], articleRows, tagRows, pageRows] = await db.batch([
    db
      .select({ articles: sql<number>`${visibleCount}`.as("visible"), tags: sql<number>`${usedTags}`.as("used_tags"), nextScheduled: nextScheduledSql(now) })
      .from(sql`(SELECT 1)`),
    db
      .select({ slug: articles.slug, lastModified: lastModifiedSql })
      .from(articles)
      .where(and(isVisible(now), whole))
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(slice.count)
      .offset(articleOffset),
    db.select({ slug: sql<string>`slug`, lastModified: sql<number>`lm` }).from(tagSlice),
    db.select({ slug: articles.slug, lastModified: lastModifiedSql }).from(articles).where(isVisiblePage(now)).orderBy(articles.slug).limit(MAX_SITEMAP_PAGES),
  ]);
  return {
    total: 1 + (counts?.articles ?? 0) + (counts?.tags ?? 0),
    articles: articleRows,
    nextScheduledAt: counts?.nextScheduled ?? null,
    tags: tagRows,
    pages: pageRows,
  };
}
