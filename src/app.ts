// The Hono app: global middleware, error pages and the mounts. No handlers here.
import type { MiddlewareHandler } from "hono";
import { languageDetector } from "hono/language";
import { methodNotAllowed } from "hono/method-not-allowed";
import { trimTrailingSlash } from "hono/trailing-slash";
import { CACHE_NONE, setPersonalCaching } from "./cache";
import { getSiteSettings } from "./config";
import { LANGUAGES, type Language } from "./db/schema";
import type { AppEnv } from "./env";
import { Hono } from "./lib/hono";
import { allowDevReload, securityHeaders, securityHeadersHttps } from "./lib/http";
import admin from "./routes/admin";
import archive from "./routes/archive";
import articles from "./routes/articles";
import assets from "./routes/assets";
import comments from "./routes/comments";
import { answerError, describeError, logUnhandledError } from "./routes/errors";
import feeds from "./routes/feeds";
import myData from "./routes/my-data";
import preview from "./routes/preview";
import redirects from "./routes/redirects";
import { renderErrorPage, renderMethodNotAllowed } from "./routes/respond";
import search from "./routes/search";
import sitemap from "./routes/sitemap";
import staticPages from "./routes/static-pages";
import subscription from "./routes/subscription";

const app = new Hono<AppEnv>();

/** One detector per default language (a var), made once per isolate. */
const detectors = new Map<Language, MiddlewareHandler>();
function detectLanguage(fallback: Language): MiddlewareHandler {
  let detector = detectors.get(fallback);
  if (!detector) {
    detector = languageDetector({ order: ["header"], supportedLanguages: [...LANGUAGES], fallbackLanguage: fallback, caches: false });
    detectors.set(fallback, detector);
  }
  return detector;
}

app.use(async (c, next) => {
  await (new URL(c.req.url).protocol === "https:" ? securityHeadersHttps(c, next) : securityHeaders(c, next));
  allowDevReload(c.res.headers, c.get("site")?.devReloadUrl ?? null);
});
app.use(async (c, next) => {
  c.set("site", getSiteSettings(c.env));
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", CACHE_NONE);
  // Whatever route it came from, a response that sets a cookie is one person's: never shared.
  if (c.res.headers.has("Set-Cookie")) setPersonalCaching(c);
});
app.use((c, next) => detectLanguage(c.get("site").defaultLang)(c, next));
// Old URLs of an imported site first: a WordPress query (?p=12) is answered before "/" is, and a
// WordPress path before the trailing-slash redirect, which would otherwise make it a chain.
app.route("/", redirects);
// WordPress links carry a trailing slash: a 404 there becomes a 301 to the path without it.
app.use(trimTrailingSlash());
app.use(methodNotAllowed({ app, onMethodNotAllowed: renderMethodNotAllowed }));
// ETags and 304s: sendWithEtag (src/routes/respond.tsx), from the string each route already holds.

// Search, archive and tag index before the article routes.
app.route("/", search);
app.route("/", archive);
app.route("/", articles);
app.route("/", assets);
app.route("/", comments);
app.route("/", subscription);
app.route("/", myData);
app.route("/", feeds);
app.route("/", sitemap);
app.route("/", preview);
app.route("/admin", admin);
// Static pages at /<slug> last, so that they never shadow a route above.
app.route("/", staticPages);

app.notFound((c) => renderErrorPage(c, 404, "notFoundTitle", "notFoundText"));

app.onError((err, c) => {
  if (describeError(err)) return answerError(c, err, "html");
  logUnhandledError(c, err);
  return renderErrorPage(c, 500, "errorTitle", "errorText");
});

export default app;
