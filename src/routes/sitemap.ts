// For search engines: /sitemap.xml (home, archive, tag index, visible articles, tags in use, pages) and /robots.txt.
import { Hono } from "hono";
import { listSitemapEntries } from "../articles/feed-queries";
import { cacheTags, setRevalidatedCaching } from "../cache";
import type { AppEnv } from "../env";
import { renderRobotsTxt, renderSitemap, SITEMAP_MAX_URLS } from "../feeds/sitemap";
import { readerDb } from "./db";
import { sendWithEtag, setPublicCaching } from "./respond";

const sitemap = new Hono<AppEnv>();

sitemap.get("/sitemap.xml", async (c) => {
  const site = c.get("site");
  const now = Date.now();
  const lists = await listSitemapEntries(readerDb(c), now, SITEMAP_MAX_URLS - 3);
  const newest = lists.articles.reduce<number | null>((max, a) => Math.max(max ?? 0, a.lastModified), null);
  const entries = [
    { url: `${site.url}/`, lastModified: newest },
    // The archive and the tag index change with any article.
    { url: `${site.url}/archive`, lastModified: newest },
    { url: `${site.url}/tags`, lastModified: newest },
    ...lists.articles.map((a) => ({ url: `${site.url}/articles/${a.slug}`, lastModified: a.lastModified })),
    ...lists.tags.map((tag) => ({ url: `${site.url}/tags/${tag.slug}`, lastModified: tag.lastModified })),
    ...lists.pages.map((page) => ({ url: `${site.url}/${page.slug}`, lastModified: page.lastModified })),
  ];
  // With no visible article there is nothing to ask about scheduled ones: look again in a minute.
  setPublicCaching(c, [cacheTags.sitemap], lists.articles.length > 0 ? lists.nextScheduledAt : now + 60_000);
  return sendWithEtag(c, renderSitemap(entries), "application/xml; charset=utf-8");
});

sitemap.get("/robots.txt", (c) => {
  setRevalidatedCaching(c);
  return sendWithEtag(c, renderRobotsTxt(c.get("site").url), "text/plain; charset=utf-8");
});

export default sitemap;
