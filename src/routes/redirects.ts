// Old URLs (an imported WordPress site's) answer with a redirect to their new
// home. Mount before the other routes. A URL with a WordPress query (?p=12)
// is looked up first, because its path ("/") exists here too; any other URL
// only when no route answered it, so existing pages cost no extra D1 query.

import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { hasWordPressQuery } from "../redirects/normalize";
import { getRedirect } from "../redirects/queries";
import { readerDb } from "./db";

const redirects = new Hono<AppEnv>();

redirects.use("*", async (c, next) => {
  if (c.req.method !== "GET" && c.req.method !== "HEAD") return next();
  if (hasWordPressQuery(c.req.url)) {
    const found = await getRedirect(readerDb(c), c.req.url);
    if (found) return c.redirect(found.location, found.status);
  }
  await next();
  if (c.res.status !== 404) return;
  const found = await getRedirect(readerDb(c), c.req.url);
  if (found) c.res = c.redirect(found.location, found.status);
});

export default redirects;
