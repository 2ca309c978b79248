// SQL on articles for feeds and the sitemap: each list in one query, with
// what a feed entry needs (tags, stored HTML).
import { and, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles, articleTags, type Language, tags } from "../db/schema";
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
  articles: { slug: string; lastModified: number }[];
  /** When the next scheduled article becomes visible (null: none, or no visible article to ask with). */
  nextScheduledAt: number | null;
  /** Tags with at least one visible article, and when the newest of those changed. */
  tags: { slug: string; lastModified: number }[];
  /** Visible static pages (served at /<slug>), by slug. */
  pages: { slug: string; lastModified: number }[];
}

const lastModifiedSql = sql<number>`max(${articles.publishedAt}, ${articles.updatedAt})`;

/** Every visible article (newest first, at most `limit`), every tag in use by one and every visible page, in one D1 batch. */
export async function listSitemapEntries(db: Db, now: number, limit: number): Promise<SitemapLists> {
  const [articleRows, tagRows, pageRows] = await db.batch([
    db
      .select({ slug: articles.slug, lastModified: lastModifiedSql, nextScheduled: nextScheduledSql(now) })
      .from(articles)
      .where(isVisible(now))
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(limit),
    db
      .select({ slug: tags.slug, lastModified: sql<number>`max(${lastModifiedSql})` })
      .from(tags)
      .innerJoin(articleTags, eq(articleTags.tagId, tags.id))
      .innerJoin(articles, eq(articles.id, articleTags.articleId))
      .where(isVisible(now))
      .groupBy(tags.id)
      .orderBy(tags.slug)
      .limit(limit),
    db.select({ slug: articles.slug, lastModified: lastModifiedSql }).from(articles).where(isVisiblePage(now)).orderBy(articles.slug).limit(limit),
  ]);
  return {
    articles: articleRows.map(({ slug, lastModified }) => ({ slug, lastModified })),
    nextScheduledAt: articleRows[0]?.nextScheduled ?? null,
    tags: tagRows,
    pages: pageRows,
  };
}
