// For search engines: /sitemap.xml (home, visible articles, tags in use, then
// the archive, the tag index and the static pages) and /robots.txt. Past
// SITEMAP_MAX_URLS URLs, /sitemap.xml is a sitemap index of /sitemap-<n>.xml parts.
import type { Context } from "hono";
import { listSitemapEntries } from "../articles/sitemap-queries";
import { cacheTags, setRevalidatedCaching } from "../cache";
import { getReaderSettings } from "../config";
import type { AppEnv } from "../env";
import { renderRobotsTxt, renderSitemap, renderSitemapIndex, type SitemapEntry } from "../feeds/sitemap";
import { Hono } from "../lib/hono";
import { readerDb } from "./db";
import { renderNotFound, sendWithEtag, setPublicCaching } from "./respond";

const sitemap = new Hono<AppEnv>();
const XML = "application/xml; charset=utf-8";

/**
 * The `count` sitemap URLs from `start` (0: the home page), and how many URLs
 * there are in all; `unlessMoreThan`: no URLs read when there are more (an index is answered).
 */
async function loadSlice(c: Context<AppEnv>, start: number, count: number, unlessMoreThan?: number) {
  const site = c.get("site");
  const now = Date.now();
  const lists = await listSitemapEntries(readerDb(c), now, { start, count, unlessMoreThan });
  const newest = lists.articles.reduce<number | null>((max, a) => Math.max(max ?? 0, a.lastModified), null);
  const head: SitemapEntry[] = [
    ...(start === 0 ? [{ url: `${site.url}/`, lastModified: newest }] : []),
    ...lists.articles.map((a) => ({ url: `${site.url}/articles/${a.slug}`, lastModified: a.lastModified })),
    ...lists.tags.map((tag) => ({ url: `${site.url}/tags/${tag.slug}`, lastModified: tag.lastModified })),
  ].slice(0, count);
  // After them a short tail that every slice reads whole: the archive and the tag index (they change with any article), then the pages.
  const tail: SitemapEntry[] = [
    { url: `${site.url}/archive`, lastModified: newest },
    { url: `${site.url}/tags`, lastModified: newest },
    ...lists.pages.map((page) => ({ url: `${site.url}/${page.slug}`, lastModified: page.lastModified })),
  ];
  const tailFrom = Math.max(0, start - lists.total);
  const entries = [...head, ...tail.slice(tailFrom, tailFrom + count - head.length)];
  // With no visible article there is nothing to ask about scheduled ones: look again in a minute.
  const changesAt = lists.total > 1 ? lists.nextScheduledAt : now + 60_000;
  return { entries, total: lists.total + tail.length, changesAt };
}

sitemap.get("/sitemap.xml", async (c) => {
  const max = getReaderSettings(c.env).sitemapMaxUrls;
  const { entries, total, changesAt } = await loadSlice(c, 0, max, max);
  setPublicCaching(c, [cacheTags.sitemap], changesAt);
  if (total <= max) return sendWithEtag(c, renderSitemap(entries), XML);
  const parts = Math.ceil(total / max);
  const siteUrl = c.get("site").url;
  return sendWithEtag(c, renderSitemapIndex(Array.from({ length: parts }, (_, i) => `${siteUrl}/sitemap-${i + 1}.xml`)), XML);
});

sitemap.get("/:part{sitemap-[1-9][0-9]{0,5}\\.xml}", async (c) => {
  const max = getReaderSettings(c.env).sitemapMaxUrls;
  const part = Number(c.req.param("part").slice("sitemap-".length, -".xml".length));
  const { entries, total, changesAt } = await loadSlice(c, (part - 1) * max, max);
  // Parts exist only while /sitemap.xml is an index; a part that more content may fill is purged with the sitemap.
  if (total <= max || entries.length === 0) return renderNotFound(c, [cacheTags.sitemap]);
  setPublicCaching(c, [cacheTags.sitemap], changesAt);
  return sendWithEtag(c, renderSitemap(entries), XML);
});

sitemap.get("/robots.txt", (c) => {
  setRevalidatedCaching(c);
  return sendWithEtag(c, renderRobotsTxt(c.get("site").url), "text/plain; charset=utf-8");
});

export default sitemap;
