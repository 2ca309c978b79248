// Finding around: /archive (months with counts), /archive/YYYY/MM (that month's
// articles, paginated like the home page) and /tags (every tag in use).
import type { Context } from "hono";
import { keptArchiveMonthsQuery, listArchiveMonths } from "../articles/archive-counts";
import { ARCHIVE_FIRST_YEAR, listTagCounts } from "../articles/archive-queries";
import { toNavigation } from "../articles/navigation";
import { listPublishedArticles } from "../articles/queries";
import { getMonthStart } from "../articles/site-dates";
import { navigationQuery } from "../articles/static-page-queries";
import { cacheTags } from "../cache";
import type { AppEnv } from "../env";
import { getLocale } from "../i18n";
import { Hono } from "../lib/hono";
import { ArchiveIndex, archiveMonthPath, formatMonth, TagIndex } from "../views/archive";
import { ArticleList, PAGE_SIZE } from "../views/article-list";
import { pageNumberQuery } from "./articles";
import { readerDb } from "./db";
import { getPageTranslator, renderErrorPage, renderNotFound, renderPage, setPublicCaching } from "./respond";

const archive = new Hono<AppEnv>();

/** An empty list cannot tell when the first scheduled article comes: look again in a minute. */
function changesAt(found: { items: unknown[]; nextScheduledAt: number | null }, now: number): number | null {
  return found.items.length > 0 ? found.nextScheduledAt : now + 60_000;
}

archive.get("/archive", async (c) => {
  const site = c.get("site");
  const now = Date.now();
  const db = readerDb(c);
  const opts = { now, timeZone: site.timeZone, defaultLang: site.defaultLang };
  // Kept counts and the navigation in one round trip; counting (and keeping) only when none are kept.
  const [kept, navigationRows] = await db.batch([keptArchiveMonthsQuery(db, opts), navigationQuery(db, now)]);
  const found = await listArchiveMonths(db, opts, kept);
  setPublicCaching(c, [cacheTags.archive], changesAt(found, now));
  const t = getPageTranslator(c, site.defaultLang);
  return renderPage(c, { lang: site.defaultLang, title: t("archiveTitle"), canonicalPath: "/archive", navigation: toNavigation(navigationRows) }, () => (
    <ArchiveIndex months={found.items} />
  ));
});

archive.get("/tags", async (c) => {
  const site = c.get("site");
  const now = Date.now();
  const found = await listTagCounts(readerDb(c), { now, defaultLang: site.defaultLang });
  setPublicCaching(c, [cacheTags.archive], changesAt(found, now));
  const t = getPageTranslator(c, site.defaultLang);
  return renderPage(c, { lang: site.defaultLang, title: t("tagsTitle"), canonicalPath: "/tags" }, () => <TagIndex tags={found.items} />);
});

/** The year and month of /archive/YYYY/MM, or null when the path is not that shape. */
function parseArchiveMonth(year: string, month: string): { year: number; month: number } | null {
  if (!/^\d{4}$/.test(year) || !/^(?:0[1-9]|1[0-2])$/.test(month)) return null;
  return { year: Number(year), month: Number(month) };
}

archive.get("/archive/:year/:month", pageNumberQuery, async (c) => {
  const parsed = parseArchiveMonth(c.req.param("year"), c.req.param("month"));
  if (!parsed) return renderErrorPage(c, 400, "badRequestTitle", "invalidArchiveMonth");
  if (parsed.year < ARCHIVE_FIRST_YEAR) return renderNotFound(c, [cacheTags.archive]);
  return renderArchiveMonth(c, parsed.year, parsed.month, c.req.valid("query").page);
});

async function renderArchiveMonth(c: Context<AppEnv>, year: number, month: number, page: number): Promise<Response> {
  const site = c.get("site");
  const now = Date.now();
  const range = { from: getMonthStart(year, month, site.timeZone), to: getMonthStart(year, month + 1, site.timeZone) };
  const { items, total, nextScheduledAt } = await listPublishedArticles(readerDb(c), {
    now,
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    defaultLang: site.defaultLang,
    range,
  });
  if (items.length === 0) return renderNotFound(c, [cacheTags.archive]);
  const shown = items.flatMap((item) => [cacheTags.article(item.slug), cacheTags.articleComments(item.id)]);
  setPublicCaching(c, [cacheTags.archive, ...shown], nextScheduledAt);
  const lang = site.defaultLang;
  const t = getPageTranslator(c, lang);
  const basePath = archiveMonthPath(year, month);
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const heading = t("archiveMonthTitle", { month: formatMonth(year, month, getLocale(lang)) });
  const title = page > 1 ? `${heading} – ${t("pageOf", { page, pages })}` : heading;
  return renderPage(c, { lang, title, canonicalPath: page === 1 ? basePath : `${basePath}?page=${page}` }, () => (
    <ArticleList view={{ heading, items, page, pages, basePath }} />
  ));
}

export default archive;
