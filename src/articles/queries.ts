// SQL for the article lists (home, a tag, an archive month) and a single
// article, with their tags, comment counts and aliases; the columns and tag
// lists the other article query modules share. Visibility is ./visibility.ts.
import { and, desc, eq, gte, inArray, isNotNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type Bound, type Holders, reusableQuery } from "../db/reuse";
import { type ArticleKind, articleAliases, articles, COMMENT_APPROVED, type Language } from "../db/schema";
import { listTotalSql } from "./list-totals";
import { parseTranslations, representsGroup, type Translation, translationListSql } from "./translations";
import { isVisibleArticle, isVisibleArticleInHomeOrder, nextScheduledSql } from "./visibility";

export type { Translation } from "./translations";

export interface TagRef {
  slug: string;
  name: string;
}

export interface ArticleSummary {
  id: number;
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
  /** The article's own image, or null. */
  image: ArticleImage | null;
  /** Leads the home page. */
  pinned: boolean;
}

/** An article's own image (front matter image:): a site path or an https URL, with its size when publish measured it. */
export interface ArticleImage {
  url: string;
  alt: string | null;
  width: number | null;
  height: number | null;
}

/** One page of an article list. */
export interface ArticleListPage {
  items: ArticleSummary[];
  /** All visible articles matching the filter, not just this page. */
  total: number;
  /** When the next scheduled article becomes visible (epoch ms), or null: lists change then by themselves. */
  nextScheduledAt: number | null;
}

// The correlated subqueries name the outer table explicitly: drizzle renders
// its columns unqualified, which inside a subquery would bind to the inner table.

// Separators that cannot occur in a slug or a tag name typed by an editor.
const FIELD_SEP = "\u001f";
const ROW_SEP = "\u001e";

/** An article's tags as one text (slug and name per tag); parseTagList reads it. */
const tagListSql = sql<string | null>`(
  SELECT group_concat(t.slug || char(31) || t.name, char(30))
  FROM article_tags at JOIN tags t ON t.id = at.tag_id
  WHERE at.article_id = articles.id)`;

const approvedCountSql = sql<number>`(
  SELECT count(*) FROM comments c
  WHERE c.article_id = articles.id AND c.status = ${COMMENT_APPROVED})`;

/** The tags in tagListSql's text, sorted by name. */
export function parseTagList(list: string | null): TagRef[] {
  if (!list) return [];
  return list
    .split(ROW_SEP)
    .map((row) => {
      const [slug = "", name = ""] = row.split(FIELD_SEP);
      return { slug, name };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** The article carries the tag with this slug. */
export function hasTag(tagSlug: Bound<string>) {
  return sql`EXISTS (SELECT 1 FROM article_tags at JOIN tags t ON t.id = at.tag_id
    WHERE at.article_id = articles.id AND t.slug = ${tagSlug})`;
}

/** The columns every article or page shows: its title, dates, summary and author. */
export const headlineColumns = {
  id: articles.id,
  slug: articles.slug,
  title: articles.title,
  summary: articles.summary,
  excerpt: articles.excerpt,
  lang: articles.lang,
  publishedAt: articles.publishedAt,
  updatedAt: articles.updatedAt,
  author: articles.author,
};

/**
 * The columns that show an article's or page's body, and tell whether its
 * stored HTML is current (src/articles/render.ts): the Markdown is read every
 * time, because only its own hash can tell.
 */
export const storedBodyColumns = {
  bodyMd: articles.bodyMd,
  bodyHtml: articles.bodyHtml,
  htmlVersion: articles.htmlVersion,
};

/** The columns of an article as lists and feeds show it, tags included. */
export const entryColumns = { ...headlineColumns, tagList: tagListSql };

/** The columns every article summary reads (lists and single articles alike). */
const summaryColumns = {
  ...entryColumns,
  commentCount: approvedCountSql,
  image: articles.image,
  imageAlt: articles.imageAlt,
  imageWidth: articles.imageWidth,
  imageHeight: articles.imageHeight,
  pinned: articles.pinned,
};

type ImageColumns = { image: string | null; imageAlt: string | null; imageWidth: number | null; imageHeight: number | null };

/** A row's image columns as one value (null without an image), the row without them. */
function takeImage<T extends ImageColumns>(row: T): Omit<T, keyof ImageColumns> & { image: ArticleImage | null } {
  const { image, imageAlt, imageWidth, imageHeight, ...rest } = row;
  return { ...rest, image: image ? { url: image, alt: imageAlt, width: imageWidth, height: imageHeight } : null };
}

export interface ListOptions {
  now: number;
  limit: number;
  offset: number;
  /** The site's language: of a translation group, its version in this language is listed (else the other). */
  defaultLang: Language;
  tagSlug?: string;
  /** Only articles published in [from, to) (epoch ms): an archive month. */
  range?: { from: number; to: number };
}

/** A tag on at least one article in this many (by id): its list is found faster by probing each newest article. */
const DENSE_TAG_SHARE = 8;

/**
 * The article carries the tag: for a tag on many articles, probed per article
 * on the way down the visibility index (the page's few are found after a few
 * dozen probes); for a rarer one, checked against the list of the tag's
 * articles, made once, so the cost follows the tag's size.
 */
function tagFilterSql(tagSlug: Bound<string>) {
  const tagId = sql`(SELECT id FROM tags WHERE slug = ${tagSlug})`;
  const dense = sql`(SELECT count(*) FROM article_tags WHERE tag_id = ${tagId}) * ${DENSE_TAG_SHARE} >= (SELECT max(id) FROM articles)`;
  return sql`CASE WHEN ${dense}
    THEN EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = articles.id AND x.tag_id = ${tagId})
    ELSE articles.id IN (SELECT at.article_id FROM article_tags at WHERE at.tag_id = ${tagId}) END`;
}

/**
 * The query for one page of the published articles (published at or before
 * `now`), newest first, one per translation group, with tags and
 * approved-comment counts; run it alone or in a batch, and read its rows
 * with toArticleListPage. The page's ids come first from the index (skipping
 * `offset` entries reads no rows), so tags and counts are read for the shown
 * rows only; the total is a count of its own, never a window over every row.
 * Callers bound `offset`.
 */
export function publishedArticlesQuery(db: Db, opts: ListOptions) {
  return publishedArticlesPage(db, {
    now: opts.now,
    limit: opts.limit,
    offset: opts.offset,
    defaultLang: opts.defaultLang,
    tagSlug: opts.tagSlug ?? null,
    from: opts.range?.from ?? null,
    to: opts.range?.to ?? null,
  });
}

/** ListOptions as a reused query binds them: a missing tag or range is null, and a shape of its own. */
type ListValues = { now: number; limit: number; offset: number; defaultLang: Language; tagSlug: string | null; from: number | null; to: number | null };

// Built once per isolate and shape (with or without a tag, with or without a month): it runs on every list view.
const publishedArticlesPage = reusableQuery(
  (db, p: Holders<ListValues>, values: ListValues) => {
    // In the shape with a tag (or a month) its values are never null.
    const tagSlug = values.tagSlug === null ? undefined : (p.tagSlug as Bound<string>);
    const range = values.from === null || values.to === null ? undefined : { from: p.from as Bound<number>, to: p.to as Bound<number> };
    const filter = { now: p.now, defaultLang: p.defaultLang, tagSlug, range };
    const tagFilter = tagSlug ? tagFilterSql(tagSlug) : undefined;
    const rangeFilter = range ? and(gte(articles.publishedAt, range.from), lt(articles.publishedAt, range.to)) : undefined;
    // The home lists pinned articles first (newest first among them), then the rest: one order for every page, so no page repeats or loses one.
    const home = !tagSlug && !range;
    const visible = home ? isVisibleArticleInHomeOrder(p.now) : isVisibleArticle(p.now);
    const where = and(visible, tagFilter, rangeFilter, representsGroup(p.now, p.defaultLang, tagSlug));
    const order = home ? [desc(articles.pinned), desc(articles.publishedAt), desc(articles.id)] : [desc(articles.publishedAt), desc(articles.id)];
    const pageIds = db
      .select({ id: articles.id })
      .from(articles)
      .where(where)
      .orderBy(...order)
      .limit(p.limit)
      .offset(p.offset);
    return db
      .select({ ...summaryColumns, total: listTotalSql(filter), nextScheduled: nextScheduledSql(p.now) })
      .from(articles)
      .where(inArray(articles.id, pageIds))
      .orderBy(...order);
  },
  (values) => `${values.tagSlug === null ? "all" : "tag"}|${values.from === null ? "any" : "month"}`,
);

/** The list from publishedArticlesQuery's rows. */
export function toArticleListPage(rows: Awaited<ReturnType<typeof publishedArticlesQuery>>): ArticleListPage {
  return {
    total: rows[0]?.total ?? 0,
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
    items: rows.map(({ tagList, total: _total, nextScheduled: _next, ...row }) => ({
      ...takeImage(row),
      publishedAt: row.publishedAt ?? 0,
      tags: parseTagList(tagList),
    })),
  };
}

/** One page of the published articles, in one query (see publishedArticlesQuery). */
export async function listPublishedArticles(db: Db, opts: ListOptions): Promise<ArticleListPage> {
  return toArticleListPage(await publishedArticlesQuery(db, opts));
}

export interface ArticleDetail extends ArticleSummary {
  translationKey: string | null;
  bodyMd: string;
  bodyHtml: string | null;
  htmlVersion: string | null;
  comments: "open" | "closed";
  /** The visible versions of this article (itself included) in each language; empty without translations. */
  translations: Translation[];
}

const visibleArticleBySlug = reusableQuery((db, p: Holders<{ slug: string; now: number }>) =>
  db
    .select({
      ...summaryColumns,
      ...storedBodyColumns,
      translationKey: articles.translationKey,
      comments: articles.comments,
      translationList: translationListSql(p.now),
    })
    .from(articles)
    .where(and(eq(articles.slug, p.slug), isVisibleArticle(p.now)))
    .limit(1),
);

/** The query for a published, visible article by slug (its SQL built once per isolate); run it alone or in a batch. */
export function publishedArticleQuery(db: Db, slug: string, now: number) {
  return visibleArticleBySlug(db, { slug, now });
}

/** The article from publishedArticleQuery's rows, or null. */
export function toArticleDetail(rows: Awaited<ReturnType<typeof publishedArticleQuery>>): ArticleDetail | null {
  const row = rows[0];
  if (!row) return null;
  const { tagList, translationList, ...rest } = takeImage(row);
  const translations = parseTranslations(translationList, rest);
  return { ...rest, publishedAt: rest.publishedAt ?? 0, tags: parseTagList(tagList), translations };
}

/** A published, visible article by slug with its tags, or null. */
export async function getPublishedArticle(db: Db, slug: string, now: number): Promise<ArticleDetail | null> {
  return toArticleDetail(await publishedArticleQuery(db, slug, now));
}

// Built once per isolate: the comment POST runs it on every submission.
const visibleArticleRef = reusableQuery((db, p: Holders<{ slug: string; now: number }>) =>
  db
    .select({ id: articles.id, slug: articles.slug, title: articles.title, lang: articles.lang, comments: articles.comments })
    .from(articles)
    .where(and(eq(articles.slug, p.slug), isVisibleArticle(p.now)))
    .limit(1),
);

/** The query for the few facts the comments read of a visible article (feeds, a submission's checks); run it in a batch. */
export function visibleArticleRefQuery(db: Db, slug: string, now: number) {
  return visibleArticleRef(db, { slug, now });
}

/** The slug an old alias now points to, when that article is visible; else null. */
export async function getAliasTarget(db: Db, alias: string, now: number): Promise<string | null> {
  const [row] = await db
    .select({ slug: articles.slug })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(and(eq(articleAliases.slug, alias), isVisibleArticle(now)))
    .limit(1);
  return row?.slug ?? null;
}

/**
 * The slug of the article or page of `kind` that publish --prune took off the
 * site under this slug or one of its aliases, or null: its URLs answer 410
 * Gone, not 404. Read when no visible row or alias answered, or in the page's batch.
 */
export function goneSlugQuery(db: Db, slug: string, kind: ArticleKind) {
  return db
    .select({ slug: articles.slug })
    .from(articles)
    .where(
      and(
        or(eq(articles.slug, slug), eq(articles.id, sql`(SELECT ${articleAliases.articleId} FROM ${articleAliases} WHERE ${articleAliases.slug} = ${slug})`)),
        eq(articles.kind, kind),
        isNotNull(articles.goneAt),
      ),
    )
    .limit(1);
}

/** goneSlugQuery on its own, for a route that did not batch it. */
export async function getGoneSlug(db: Db, slug: string, kind: ArticleKind): Promise<string | null> {
  const [row] = await goneSlugQuery(db, slug, kind);
  return row?.slug ?? null;
}
