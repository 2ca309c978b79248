// The Hono app: global middleware, error pages and the mounts. No handlers here.
import { Hono, type MiddlewareHandler } from "hono";
import { except } from "hono/combine";
import { etag, RETAINED_304_HEADERS } from "hono/etag";
import { languageDetector } from "hono/language";
import { methodNotAllowed } from "hono/method-not-allowed";
import { trimTrailingSlash } from "hono/trailing-slash";
import { LANGUAGES, type Language } from "./db/schema";
import type { AppEnv } from "./env";
import { CACHE_NONE, securityHeaders, securityHeadersHttps } from "./lib/http";
import admin from "./routes/admin";
import comments from "./routes/comments";
import { answerError, describeError } from "./routes/errors";
import feeds from "./routes/feeds";
import pages from "./routes/pages";
import { renderErrorPage, renderMethodNotAllowed } from "./routes/respond";
import sitemap from "./routes/sitemap";
import { getSiteSettings } from "./settings";

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

app.use((c, next) => (new URL(c.req.url).protocol === "https:" ? securityHeadersHttps(c, next) : securityHeaders(c, next)));
app.use(async (c, next) => {
  c.set("site", getSiteSettings(c.env));
  await next();
  if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", CACHE_NONE);
  // Whatever route it came from, a response that sets a cookie is one person's: never shared.
  if (c.res.headers.has("Set-Cookie")) {
    c.res.headers.set("Cache-Control", CACHE_NONE);
    c.res.headers.delete("Cloudflare-CDN-Cache-Control");
    c.res.headers.delete("Cache-Tag");
  }
});
app.use((c, next) => detectLanguage(c.get("site").defaultLang)(c, next));
// WordPress links carry a trailing slash: a 404 there becomes a 301 to the path without it.
app.use(trimTrailingSlash());
app.use(methodNotAllowed({ app, onMethodNotAllowed: renderMethodNotAllowed }));
// Strong ETags from the body and 304s; a 304 keeps the edge-cache headers too.
app.use(
  except(
    "/admin/*",
    etag({
      retainedHeaders: [...RETAINED_304_HEADERS, "cloudflare-cdn-cache-control", "cache-tag"],
      // 16 bytes of SHA-1, as the ETags published so far: clients' stored tags stay valid.
      generateDigest: async (body) => (await crypto.subtle.digest("SHA-1", body)).slice(0, 16),
    }),
  ),
);

app.route("/", pages);
app.route("/", comments);
app.route("/", feeds);
app.route("/", sitemap);
app.route("/admin", admin);

app.notFound((c) => renderErrorPage(c, 404, "notFoundTitle", "notFoundText"));

app.onError((err, c) => {
  if (describeError(err)) return answerError(c, err, "html");
  console.error("unhandled error", c.req.method, c.req.path, err);
  return renderErrorPage(c, 500, "errorTitle", "errorText");
});

export default app;
