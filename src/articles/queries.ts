// All SQL on articles, tags and their aliases.
import { and, desc, eq, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ARTICLE_PUBLISHED, articleAliases, articles, COMMENT_APPROVED, type Language } from "../db/schema";

export interface TagRef {
  slug: string;
  name: string;
}

export interface ArticleSummary {
  slug: string;
  title: string;
  summary: string | null;
  excerpt: string | null;
  lang: Language;
  publishedAt: number;
  updatedAt: number;
  author: string | null;
  tags: TagRef[];
  commentCount: number;
}

export interface ArticlePage {
  items: ArticleSummary[];
  /** All visible articles matching the filter, not just this page. */
  total: number;
}

// The correlated subqueries name the outer table explicitly: drizzle renders
// its columns unqualified, which inside a subquery would bind to the inner table.

// Separators that cannot occur in a slug or a tag name typed by an editor.
const FIELD_SEP = "\u001f";
const ROW_SEP = "\u001e";

const tagListSql = sql<string | null>`(
  SELECT group_concat(t.slug || char(31) || t.name, char(30))
  FROM article_tags at JOIN tags t ON t.id = at.tag_id
  WHERE at.article_id = articles.id)`;

const approvedCountSql = sql<number>`(
  SELECT count(*) FROM comments c
  WHERE c.article_id = articles.id AND c.status = ${COMMENT_APPROVED})`;

function parseTagList(list: string | null): TagRef[] {
  if (!list) return [];
  return list
    .split(ROW_SEP)
    .map((row) => {
      const [slug = "", name = ""] = row.split(FIELD_SEP);
      return { slug, name };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

function isVisible(now: number) {
  return and(eq(articles.status, ARTICLE_PUBLISHED), lte(articles.publishedAt, now));
}

/**
 * One page of the published articles (published at or before `now`), newest
 * first, with tags and approved-comment counts, in one query.
 */
export async function listPublishedArticles(
  db: Db,
  opts: { now: number; limit: number; offset: number; tagSlug?: string },
): Promise<ArticlePage> {
  const tagFilter = opts.tagSlug
    ? sql`EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
        WHERE at.article_id = articles.id AND t.slug = ${opts.tagSlug})`
    : undefined;
  const rows = await db
    .select({
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      excerpt: articles.excerpt,
      lang: articles.lang,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      author: articles.author,
      tagList: tagListSql,
      commentCount: approvedCountSql,
      total: sql<number>`count(*) OVER ()`,
    })
    .from(articles)
    .where(and(isVisible(opts.now), tagFilter))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(opts.limit)
    .offset(opts.offset);
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map(({ tagList, total: _total, ...row }) => ({
      ...row,
      publishedAt: row.publishedAt ?? 0,
      tags: parseTagList(tagList),
    })),
  };
}

export interface ArticleDetail extends ArticleSummary {
  id: number;
  bodyHash: string;
  bodyHtml: string | null;
  htmlVersion: string | null;
  comments: "open" | "closed";
}

/** The query for a published, visible article by slug; run it alone or in a batch. */
export function publishedArticleQuery(db: Db, slug: string, now: number) {
  return db
    .select({
      id: articles.id,
      slug: articles.slug,
      title: articles.title,
      summary: articles.summary,
      excerpt: articles.excerpt,
      lang: articles.lang,
      publishedAt: articles.publishedAt,
      updatedAt: articles.updatedAt,
      author: articles.author,
      bodyHash: articles.bodyHash,
      bodyHtml: articles.bodyHtml,
      htmlVersion: articles.htmlVersion,
      comments: articles.comments,
      tagList: tagListSql,
      commentCount: approvedCountSql,
    })
    .from(articles)
    .where(and(eq(articles.slug, slug), isVisible(now)))
    .limit(1);
}

/** The article from publishedArticleQuery's rows, or null. */
export function toArticleDetail(rows: Awaited<ReturnType<typeof publishedArticleQuery>>): ArticleDetail | null {
  const row = rows[0];
  if (!row) return null;
  const { tagList, ...rest } = row;
  return { ...rest, publishedAt: rest.publishedAt ?? 0, tags: parseTagList(tagList) };
}

/** A published, visible article by slug with its tags, or null. */
export async function getPublishedArticle(db: Db, slug: string, now: number): Promise<ArticleDetail | null> {
  return toArticleDetail(await publishedArticleQuery(db, slug, now));
}

/** The slug an old alias now points to, when that article is visible; else null. */
export async function getAliasTarget(db: Db, alias: string, now: number): Promise<string | null> {
  const [row] = await db
    .select({ slug: articles.slug })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(and(eq(articleAliases.slug, alias), isVisible(now)))
    .limit(1);
  return row?.slug ?? null;
}

/** An article's Markdown source: read only when its stored HTML is stale. */
export async function getArticleMarkdown(db: Db, id: number): Promise<string | null> {
  const [row] = await db.select({ bodyMd: articles.bodyMd }).from(articles).where(eq(articles.id, id)).limit(1);
  return row?.bodyMd ?? null;
}

/** Stores freshly rendered HTML, unless the body changed in the meantime. */
export async function setRenderedHtml(
  db: Db,
  id: number,
  bodyHash: string,
  rendered: { html: string; excerpt: string; htmlVersion: string },
): Promise<void> {
  await db
    .update(articles)
    .set({ bodyHtml: rendered.html, excerpt: rendered.excerpt, htmlVersion: rendered.htmlVersion })
    .where(and(eq(articles.id, id), eq(articles.bodyHash, bodyHash)));
}
