// Static pages (content/pages/*.md) at /<slug>. Mounted last in app.ts: a
// static page never shadows a route of the blog itself (the publisher also
// refuses such slugs).

import { toNavigation } from "../articles/navigation";
import { getArticleHtml } from "../articles/render";
import { navigationQuery, publishedStaticPageQuery, staticPageAliasQuery, toStaticPageDetail } from "../articles/static-page-queries";
import { cacheTags } from "../cache";
import { MY_DATA_PATH } from "../config";
import type { AppEnv } from "../env";
import { fillProcessingSection } from "../legal/processing-section";
import { Hono } from "../lib/hono";
import { SLUG_PATTERN } from "../lib/slug";
import { StaticPageView } from "../views/static-page";
import { readerDb } from "./db";
import { renderNotFound, renderPage, setPublicCaching } from "./respond";

const staticPages = new Hono<AppEnv>();

staticPages.get("/:slug", async (c) => {
  const slug = c.req.param("slug");
  if (!SLUG_PATTERN.test(slug)) return renderNotFound(c);
  const db = readerDb(c);
  const now = Date.now();
  // The alias lookup rides along: an unknown slug costs no second round trip (the redirects table may still take one).
  const [rows, navigationRows, aliasRows] = await db.batch([
    publishedStaticPageQuery(db, slug, now),
    navigationQuery(db, now),
    staticPageAliasQuery(db, slug, now),
  ]);
  const staticPage = toStaticPageDetail(rows);
  const navigation = toNavigation(navigationRows);
  if (!staticPage) {
    const target = aliasRows[0]?.slug;
    if (target) return c.redirect(`/${target}`, 301);
    // Kept a minute, and purged as soon as a static page of that slug is published.
    return renderNotFound(c, [cacheTags.article(slug)], navigation);
  }
  const body = await getArticleHtml(db, staticPage);
  // The privacy page states the settings in force where its marker stands; a deploy purges "settings".
  const { html, filled } =
    staticPage.role === "privacy" ? fillProcessingSection(body.html, c.env, staticPage.lang, MY_DATA_PATH) : { html: body.html, filled: false };
  const excerpt = body.excerpt;
  setPublicCaching(c, [cacheTags.article(staticPage.slug), cacheTags.nav, ...(filled ? [cacheTags.settings] : [])]);
  const meta = {
    lang: staticPage.lang,
    title: staticPage.title,
    description: staticPage.summary || excerpt || undefined,
    canonicalPath: `/${staticPage.slug}`,
    navigation,
  };
  return renderPage(c, meta, () => <StaticPageView staticPage={staticPage} html={html} />);
});

export default staticPages;
