// SQL on static pages (content/pages/*.md): rows of the articles table with
// kind 'page', served at /<slug> and linked from the header and footer.
import { and, asc, eq, isNotNull, or, sql } from "drizzle-orm";
import { type ArticleSummary, headlineColumns, isVisiblePage, storedBodyColumns } from "../articles/queries";
import type { Db } from "../db/client";
import { type Holders, reusableQuery } from "../db/reuse";
import { articleAliases, articles, type Language, type NavPlace, type PageRole } from "../db/schema";

/** A page as its route shows it: an article's list fields (no tags or comment count), its body (storedBodyColumns) and place. */
export interface PageDetail extends Omit<ArticleSummary, "tags" | "commentCount"> {
  comments: "open" | "closed";
  bodyMd: string;
  bodyHtml: string | null;
  htmlVersion: string | null;
  translationKey: string | null;
  nav: NavPlace | null;
  navOrder: number | null;
  role: PageRole | null;
}

/** A link to a page in the header or footer, or to the page filling a role (Impressum, privacy statement). */
export interface NavigationPage {
  slug: string;
  title: string;
  lang: Language;
  nav: NavPlace | null;
  navOrder: number | null;
  role: PageRole | null;
}

/** The query for a published page (published at or before `now`) by slug; run it alone or in a batch. */
export function publishedPageQuery(db: Db, slug: string, now: number) {
  return db
    .select({
      ...headlineColumns,
      comments: articles.comments,
      ...storedBodyColumns,
      translationKey: articles.translationKey,
      nav: articles.nav,
      navOrder: articles.navOrder,
      role: articles.role,
    })
    .from(articles)
    .where(and(eq(articles.slug, slug), isVisiblePage(now)))
    .limit(1);
}

/** The page from publishedPageQuery's rows, or null. */
export function toPageDetail(rows: Awaited<ReturnType<typeof publishedPageQuery>>): PageDetail | null {
  const row = rows[0];
  return row ? { ...row, publishedAt: row.publishedAt ?? 0 } : null;
}

/** A published page (published at or before `now`) by slug, or null; articles are not pages. */
export async function getPublishedPage(db: Db, slug: string, now: number): Promise<PageDetail | null> {
  return toPageDetail(await publishedPageQuery(db, slug, now));
}

/** The query for the visible page an old alias now points to (no row when none); batch it with publishedPageQuery. */
export function pageAliasQuery(db: Db, alias: string, now: number) {
  return db
    .select({ slug: articles.slug })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(and(eq(articleAliases.slug, alias), isVisiblePage(now)))
    .limit(1);
}

// Built once per isolate: it runs on every page view.
const visibleNavigationPages = reusableQuery((db, p: Holders<{ now: number }>) =>
  db
    .select({ slug: articles.slug, title: articles.title, lang: articles.lang, nav: articles.nav, navOrder: articles.navOrder, role: articles.role })
    .from(articles)
    .where(and(isVisiblePage(p.now), or(isNotNull(articles.nav), isNotNull(articles.role))))
    .orderBy(
      sql`${articles.nav} IS NULL`,
      asc(articles.nav),
      sql`${articles.navOrder} IS NULL`,
      asc(articles.navOrder),
      asc(articles.title),
      asc(articles.slug),
    ),
);

/**
 * The query for the visible pages that navigation links: those placed in the header or
 * footer, ordered by place, navOrder (unordered last) and title, and those
 * with a role even when unplaced, because every page must link them. Run it in the batch a page already makes.
 */
export function navigationQuery(db: Db, now: number) {
  return visibleNavigationPages(db, { now });
}

/** navigationQuery's rows, run alone. */
export async function listNavigationPages(db: Db, now: number): Promise<NavigationPage[]> {
  return navigationQuery(db, now);
}
