// What readers may see of the articles table, defined once. Articles and
// static pages share the table (kind); a row is visible once it is published
// and its date has come (published_at <= now). Drafts never are; a published
// row dated later is scheduled and becomes visible by itself, with no write,
// so the caches ask nextScheduledSql when a page changes on its own.
//
// Two forms of the same rule: conditions for drizzle's query builder, and SQL
// for the statements written by hand, on the table under any alias. Only the
// columns differ; the rule is visibleOn.
import { type SQL, type SQLWrapper, sql } from "drizzle-orm";
import type { Bound } from "../db/reuse";
import { ARTICLE_PUBLISHED, ARTICLE_STATUSES, type ArticleKind, articles, KIND_ARTICLE, KIND_PAGE } from "../db/schema";

/** The columns the rule reads, as a query names them. */
interface VisibilityColumns {
  kind: SQLWrapper;
  status: SQLWrapper;
  publishedAt: SQLWrapper;
}

/** A kind of row, or both kinds (search finds articles and static pages alike). */
export type VisibleKind = ArticleKind | "any";

function visibleOn(columns: VisibilityColumns, kind: VisibleKind, now: Bound<number>): SQL {
  const ofKind = kind === "any" ? [] : [sql`${columns.kind} = ${kind}`];
  return sql.join([...ofKind, sql`${columns.status} = ${ARTICLE_PUBLISHED}`, sql`${columns.publishedAt} <= ${now}`], sql` AND `);
}

const builderColumns: VisibilityColumns = { kind: articles.kind, status: articles.status, publishedAt: articles.publishedAt };

/** Where the hand-written SQL names the articles table, and whether the rule may choose the index. */
export interface VisibleSqlOptions {
  /** The table's alias in the statement ("a"), or null for its columns unqualified. */
  alias: string | null;
  /**
   * Keep the rule off the index ("+kind"): for a row found by another key (a
   * translation's siblings by translation_key), where SQLite would otherwise
   * walk every visible row instead.
   */
  unindexed?: boolean;
}

function aliasColumns(opts: VisibleSqlOptions): VisibilityColumns {
  const column = (name: string) => {
    const ref = opts.alias === null ? sql.raw(name) : sql`${sql.identifier(opts.alias)}.${sql.raw(name)}`;
    return opts.unindexed ? sql`+${ref}` : ref;
  };
  return { kind: column("kind"), status: column("status"), publishedAt: column("published_at") };
}

/** A visible article (static pages are not listed, fed or served under /articles) at `now`, for the query builder. */
export function isVisibleArticle(now: Bound<number>): SQL {
  return sql`(${visibleOn(builderColumns, KIND_ARTICLE, now)})`;
}

/**
 * isVisibleArticle with the date compared off the index: for the home list,
 * walked in articles_home's order (pinned first, then by date). With a range
 * on the date SQLite would take articles_by_kind instead and sort every
 * visible article for one page.
 */
export function isVisibleArticleInHomeOrder(now: Bound<number>): SQL {
  return sql`(${visibleOn({ ...builderColumns, publishedAt: sql`+${articles.publishedAt}` }, KIND_ARTICLE, now)})`;
}

/** A visible static page (content/pages, served at /<slug>) at `now`, for the query builder. */
export function isVisibleStaticPage(now: Bound<number>): SQL {
  return sql`(${visibleOn(builderColumns, KIND_PAGE, now)})`;
}

/** The same rule for hand-written SQL: the row `opts.alias` is a visible `kind` at `now`. */
export function visibleSql(kind: VisibleKind, now: Bound<number>, opts: VisibleSqlOptions): SQL {
  return visibleOn(aliasColumns(opts), kind, now);
}

/**
 * Visible and dated in [from, to): one range on articles_by_kind, with "its
 * date has come" folded into the range's upper bound. With a second bound
 * (published_at <= now) SQLite may pick that one and scan up to now instead.
 */
export function visibleInRangeSql(kind: ArticleKind, range: { from: SQLWrapper; to: SQLWrapper }, now: number, opts: VisibleSqlOptions): SQL {
  const c = aliasColumns(opts);
  return sql`${c.kind} = ${kind} AND ${c.status} = ${ARTICLE_PUBLISHED} AND ${c.publishedAt} >= ${range.from} AND ${c.publishedAt} < min(${range.to}, ${now + 1})`;
}

/** Every status but the published one: rows in these are never visible. */
const HIDDEN_STATUSES = ARTICLE_STATUSES.filter((status) => status !== ARTICLE_PUBLISHED);

/**
 * The ids of every row that is not a visible article at `now`, the
 * complement of isVisibleArticle: static pages, articles in any other status
 * and scheduled ones, each part one range on the index (the list totals count
 * what is stored less these few).
 */
export function hiddenArticleIdsSql(now: Bound<number>): SQL {
  const parts = [
    sql`SELECT id FROM articles WHERE kind = ${KIND_PAGE}`,
    ...HIDDEN_STATUSES.map((status) => sql`SELECT id FROM articles WHERE kind = ${KIND_ARTICLE} AND status = ${status}`),
    sql`SELECT id FROM articles WHERE kind = ${KIND_ARTICLE} AND status = ${ARTICLE_PUBLISHED} AND published_at > ${now}`,
  ];
  return sql`(${sql.join(parts, sql`\n    UNION ALL `)})`;
}

/**
 * When the next scheduled row of `kind` becomes visible (epoch ms, or null
 * when none is scheduled), as a scalar subquery: a page that lists visible
 * rows is cached until then.
 */
export function nextScheduledSql(now: Bound<number>, kind: VisibleKind = KIND_ARTICLE): SQL<number | null> {
  const ofKind = kind === "any" ? sql`` : sql`kind = ${kind} AND `;
  return sql<number | null>`(SELECT min(published_at) FROM articles WHERE ${ofKind}status = ${ARTICLE_PUBLISHED} AND published_at > ${now})`;
}
