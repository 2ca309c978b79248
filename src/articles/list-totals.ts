// How many articles a list holds (its pager's "page 2 of N"), counted so that
// the count stays cheap as the blog grows (see shownTotalSql).
import { and, gte, lt, type SQL, sql } from "drizzle-orm";
import type { Bound } from "../db/reuse";
import { articles, type Language } from "../db/schema";
import { representsGroup } from "./translations";
import { hiddenArticleIdsSql, isVisibleArticle } from "./visibility";

/** What a list's total counts by; values, or placeholders in a reused query. */
export interface TotalOptions {
  now: Bound<number>;
  defaultLang: Bound<Language>;
  tagSlug?: Bound<string>;
  range?: { from: Bound<number>; to: Bound<number> };
}

/**
 * A total as what is stored less what is not shown, the latter found from its
 * own side: all articles (SQLite counts a whole table by its pages, not its
 * rows) or a tag's rows in article_tags (one index range), less the few that
 * are not visible (pages, drafts, scheduled: three index ranges) and the
 * translated ones a version in the site's language stands for. Its cost
 * follows those few, not the blog's or the tag's size.
 */
function shownTotalSql(opts: TotalOptions): SQL<number> {
  const tagId = sql`(SELECT id FROM tags WHERE slug = ${opts.tagSlug ?? null})`;
  const tagged = (alias: SQL) => (opts.tagSlug ? sql`EXISTS (SELECT 1 FROM article_tags x WHERE x.article_id = ${alias} AND x.tag_id = ${tagId})` : sql`1`);
  const stored = opts.tagSlug ? sql`(SELECT count(*) FROM article_tags WHERE tag_id = ${tagId})` : sql`(SELECT count(*) FROM articles)`;
  return sql<number>`(${stored}
    - (SELECT count(*) FROM ${hiddenArticleIdsSql(opts.now)} AS hidden WHERE ${tagged(sql`hidden.id`)})
    - (SELECT count(*) FROM ${articles} INDEXED BY articles_by_translation_key
        WHERE ${articles.translationKey} IS NOT NULL AND ${isVisibleArticle(opts.now)} AND ${tagged(sql`articles.id`)}
          AND NOT ${representsGroup(opts.now, opts.defaultLang, opts.tagSlug)}))`;
}

/** The total of a list (home, a tag, an archive month), one article per translation group, as a scalar subquery. */
export function listTotalSql(opts: TotalOptions): SQL<number> {
  if (!opts.range) return shownTotalSql(opts);
  const rangeFilter = opts.range ? and(gte(articles.publishedAt, opts.range.from), lt(articles.publishedAt, opts.range.to)) : undefined;
  const tagFilter = opts.tagSlug
    ? sql`${articles.id} IN (SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.slug = ${opts.tagSlug})`
    : undefined;
  const where = and(isVisibleArticle(opts.now), rangeFilter, tagFilter, representsGroup(opts.now, opts.defaultLang, opts.tagSlug));
  // articles_by_kind holds translation_key and lang: the count reads no table row.
  return sql<number>`(SELECT count(*) FROM ${articles} INDEXED BY articles_by_kind WHERE ${where})`;
}
