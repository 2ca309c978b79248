// Static pages (content/pages/*.md) at /<slug>. Mounted last in app.ts: a
// page never shadows a route of the blog itself (the publisher also refuses
// such slugs).

import { getArticleHtml } from "../articles/render";
import { cacheTags } from "../cache";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { SLUG_PATTERN } from "../lib/slug";
import { toNavigation } from "../pages/navigation";
import { navigationQuery, pageAliasQuery, publishedPageQuery, toPageDetail } from "../pages/queries";
import { PageView } from "../views/page";
import { readerDb } from "./db";
import { renderNotFound, renderPage, setPublicCaching } from "./respond";

const staticPages = new Hono<AppEnv>();

staticPages.get("/:slug", async (c) => {
  const slug = c.req.param("slug");
  if (!SLUG_PATTERN.test(slug)) return renderNotFound(c);
  const db = readerDb(c);
  const now = Date.now();
  // The alias lookup rides along: an unknown slug costs no second round trip (the redirects table may still take one).
  const [pageRows, navigationRows, aliasRows] = await db.batch([publishedPageQuery(db, slug, now), navigationQuery(db, now), pageAliasQuery(db, slug, now)]);
  const page = toPageDetail(pageRows);
  const navigation = toNavigation(navigationRows);
  if (!page) {
    const target = aliasRows[0]?.slug;
    if (target) return c.redirect(`/${target}`, 301);
    // Kept a minute, and purged as soon as a page of that slug is published.
    return renderNotFound(c, [cacheTags.article(slug)], navigation);
  }
  const { html, excerpt } = await getArticleHtml(db, page);
  setPublicCaching(c, [cacheTags.article(page.slug), cacheTags.nav]);
  const meta = { lang: page.lang, title: page.title, description: page.summary || excerpt || undefined, canonicalPath: `/${page.slug}`, navigation };
  return renderPage(c, meta, () => <PageView page={page} html={html} />);
});

export default staticPages;
