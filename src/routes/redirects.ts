// Old URLs (an imported WordPress site's) answer with one redirect to their
// new home, or a real 404. Mounted before the trailing-slash middleware and
// the other routes. A WordPress query (?p=12, ?s=, ?cat=3) is answered
// first, because "/" exists here too (on / and /index.php every form; on
// another path, where a blog in a folder had them, its stored row). Any other URL is looked at only
// when no route answered it (404, or the trailing-slash redirect to a path
// that may not exist), so existing pages cost no extra D1 query, and a slash
// form never becomes a chain.

import type { Context } from "hono";
import { getReaderSettings } from "../config";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { hasWordPressQuery } from "../redirects/normalize";
import { isOldQueryUrl } from "../redirects/old-urls";
import { type OldUrlAnswer, resolveOldUrl } from "../redirects/resolve";
import { readerDb } from "./db";
import { renderNotFound } from "./respond";

const redirects = new Hono<AppEnv>();

function resolve(c: Context<AppEnv>, url: URL): Promise<OldUrlAnswer> {
  const site = c.get("site");
  const comments = getReaderSettings(c.env);
  return resolveOldUrl(readerDb(c), url, { now: Date.now(), defaultLang: site.defaultLang, timeZone: site.timeZone, comments });
}

function answer(c: Context<AppEnv>, found: Exclude<OldUrlAnswer, null>): Response | Promise<Response> {
  return "notFound" in found ? renderNotFound(c) : c.redirect(found.location, found.status);
}

/** hono/trailing-slash's answer to a 404 at a path with a trailing slash: a 301 to the same path without it. */
function isTrailingSlashRedirect(c: Context<AppEnv>, url: URL): boolean {
  if (c.res.status !== 301 || !url.pathname.endsWith("/")) return false;
  const location = c.res.headers.get("Location");
  return location !== null && new URL(location, url).pathname === url.pathname.slice(0, -1);
}

redirects.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
  const url = new URL(c.req.url);
  const early = isOldQueryUrl(url) || hasWordPressQuery(url.href);
  if (early) {
    const found = await resolve(c, url);
    if (found) return answer(c, found);
  }
  await next();
  if (early || (c.res.status !== 404 && !isTrailingSlashRedirect(c, url))) return;
  const found = await resolve(c, url);
  // A route's own 404 stays: it knows what would make it a page (its cache tags).
  if (!found || ("notFound" in found && c.res.status === 404)) return;
  // The route's answer is replaced whole: Hono's res setter would keep its headers (the trailing-slash Location).
  for (const name of [...c.res.headers.keys()]) c.res.headers.delete(name);
  c.res = await answer(c, found);
});

export default redirects;
