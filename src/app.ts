// The Hono app: global middleware, error pages and the mounts. No handlers here.
import { Hono } from "hono";
import { CACHE_NONE, setPersonalCaching } from "./cache";
import { getSiteSettings } from "./config";
import type { AppEnv } from "./env";
import { SECURITY_HEADERS } from "./lib/http";
import admin from "./routes/admin";
import assets from "./routes/assets";
import comments from "./routes/comments";
import feeds from "./routes/feeds";
import pages from "./routes/pages";
import { renderErrorPage } from "./routes/respond";
import sitemap from "./routes/sitemap";

const app = new Hono<AppEnv>();

app.use(async (c, next) => {
  c.set("site", getSiteSettings(c.env));
  await next();
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", CACHE_NONE);
  // Whatever route it came from, a response that sets a cookie is one person's: never shared.
  if (c.res.headers.has("Set-Cookie")) setPersonalCaching(c);
});

app.route("/", pages);
app.route("/", assets);
app.route("/", comments);
app.route("/", feeds);
app.route("/", sitemap);
app.route("/admin", admin);

app.notFound((c) => renderErrorPage(c, 404, "notFoundTitle", "notFoundText"));

app.onError((err, c) => {
  console.error("unhandled error", c.req.method, c.req.path, err);
  return renderErrorPage(c, 500, "errorTitle", "errorText");
});

export default app;
