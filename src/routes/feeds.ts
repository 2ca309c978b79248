// Feeds in RSS 2.0, Atom and JSON Feed 1.1: the site's articles, a tag's
// articles, the site's comments and one article's comments. Each base path
// serves feed.xml (RSS), atom.xml and feed.json.
import type { Context } from "hono";
import { loadArticleFeed } from "../articles/feed";
import { getAliasTarget } from "../articles/queries";
import { setRevalidatedCaching } from "../cache";
import { loadArticleCommentFeed, loadSiteCommentFeed } from "../comments/feed";
import type { AppEnv } from "../env";
import { renderAtom } from "../feeds/atom";
import { FEED_FORMATS, type Feed, type FeedFormat } from "../feeds/feed-data";
import { renderJsonFeed } from "../feeds/json-feed";
import { renderRss } from "../feeds/rss";
import { Hono } from "../lib/hono";
import { SLUG_PATTERN } from "../lib/slug";
import { readerDb } from "./db";
import { renderErrorPage, sendWithEtag, setPublicCaching } from "./respond";

const RENDERERS: Record<FeedFormat, (feed: Feed) => string> = { rss: renderRss, atom: renderAtom, json: renderJsonFeed };

type LoadFeed = (c: Context<AppEnv>) => Promise<Feed | Response | null>;

const feeds = new Hono<AppEnv>();

/** Serves the feed that `load` makes at basePath/feed.xml, /atom.xml and /feed.json; null is a 404. */
function serveFeed(basePath: string, load: LoadFeed): void {
  for (const { format, file, type } of FEED_FORMATS) {
    const path = `${basePath}/${file}`;
    feeds.get(path, async (c) => {
      const feed = await load(c);
      if (feed instanceof Response) return feed;
      if (!feed) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
      setPublicCaching(c, feed.cache.tags, feed.cache.changesAt);
      return sendWithEtag(c, RENDERERS[format](feed), `${type}; charset=utf-8`);
    });
  }
}

serveFeed("", (c) => loadArticleFeed(readerDb(c), c.get("site"), { now: Date.now() }));

serveFeed("/tags/:tag", async (c) => {
  const tag = c.req.param("tag") ?? "";
  if (!SLUG_PATTERN.test(tag)) return null;
  return loadArticleFeed(readerDb(c), c.get("site"), { now: Date.now(), tagSlug: tag });
});

serveFeed("/comments", (c) => loadSiteCommentFeed(readerDb(c), c.get("site"), Date.now()));

serveFeed("/articles/:slug/comments", async (c) => {
  const slug = c.req.param("slug") ?? "";
  if (!SLUG_PATTERN.test(slug)) return null;
  const db = readerDb(c);
  const now = Date.now();
  const feed = await loadArticleCommentFeed(db, c.get("site"), slug, now);
  if (feed) return feed;
  // An old slug: its feed moved with the article, as the article page did.
  const target = await getAliasTarget(db, slug, now);
  return target ? c.redirect(`/articles/${target}/comments/${c.req.path.split("/").pop()}`, 301) : null;
});

// Where WordPress and Ghost keep their feeds: subscribers of a moved blog follow the redirect.
for (const [from, to] of [
  ["/feed", "/feed.xml"],
  ["/feed/", "/feed.xml"],
  ["/rss", "/feed.xml"],
  ["/rss/", "/feed.xml"],
  ["/comments/feed/", "/comments/feed.xml"],
] as const) {
  feeds.get(from, (c) => {
    setRevalidatedCaching(c);
    return c.redirect(to, 301);
  });
}

export default feeds;
