// SQL on static pages (content/pages/*.md: Impressum, privacy statement): rows
// of the articles table with kind 'page', served at /<slug> and linked from the
// header and footer (./navigation.ts).
import { and, asc, eq, isNotNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type Holders, reusableQuery } from "../db/reuse";
import { articleAliases, articles, type Language, type NavPlace, type PageRole } from "../db/schema";
import { type ArticleSummary, headlineColumns, storedBodyColumns } from "./queries";
import { isVisibleStaticPage } from "./visibility";

/** A static page as its route shows it: an article's list fields (no tags or comment count), its body (storedBodyColumns) and place. */
export interface StaticPageDetail extends Omit<ArticleSummary, "tags" | "commentCount" | "image" | "pinned"> {
  comments: "open" | "closed";
  bodyMd: string;
  bodyHtml: string | null;
  htmlVersion: string | null;
  translationKey: string | null;
  nav: NavPlace | null;
  navOrder: number | null;
  role: PageRole | null;
}

/** A static page the navigation links: placed in the header or footer, or filling a role (Impressum, privacy statement). */
export interface NavigationEntry {
  slug: string;
  title: string;
  lang: Language;
  nav: NavPlace | null;
  navOrder: number | null;
  role: PageRole | null;
}

/** The query for a visible static page by slug; run it alone or in a batch. */
export function publishedStaticPageQuery(db: Db, slug: string, now: number) {
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
    .where(and(eq(articles.slug, slug), isVisibleStaticPage(now)))
    .limit(1);
}

/** The static page from publishedStaticPageQuery's rows, or null. */
export function toStaticPageDetail(rows: Awaited<ReturnType<typeof publishedStaticPageQuery>>): StaticPageDetail | null {
  const row = rows[0];
  return row ? { ...row, publishedAt: row.publishedAt ?? 0 } : null;
}

/** A visible static page by slug, or null; articles are not static pages. */
export async function getPublishedStaticPage(db: Db, slug: string, now: number): Promise<StaticPageDetail | null> {
  return toStaticPageDetail(await publishedStaticPageQuery(db, slug, now));
}

/** The query for the visible static page an old alias now points to (no row when none); batch it with publishedStaticPageQuery. */
export function staticPageAliasQuery(db: Db, alias: string, now: number) {
  return db
    .select({ slug: articles.slug })
    .from(articleAliases)
    .innerJoin(articles, eq(articles.id, articleAliases.articleId))
    .where(and(eq(articleAliases.slug, alias), isVisibleStaticPage(now)))
    .limit(1);
}

// Built once per isolate: it runs on every page view.
const visibleNavigationEntries = reusableQuery((db, p: Holders<{ now: number }>) =>
  db
    .select({ slug: articles.slug, title: articles.title, lang: articles.lang, nav: articles.nav, navOrder: articles.navOrder, role: articles.role })
    .from(articles)
    .where(and(isVisibleStaticPage(p.now), or(isNotNull(articles.nav), isNotNull(articles.role))))
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
 * The query for the visible static pages that navigation links: those placed
 * in the header or footer, ordered by place, navOrder (unordered last) and
 * title, and those with a role even when unplaced, because every page must link them. Run it in the batch a page already makes.
 */
export function navigationQuery(db: Db, now: number) {
  return visibleNavigationEntries(db, { now });
}

/** navigationQuery's rows, run alone. */
export async function listNavigationEntries(db: Db, now: number): Promise<NavigationEntry[]> {
  return navigationQuery(db, now);
}
