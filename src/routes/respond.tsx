// How routes turn views into responses: the page shell, error pages, 405s.
import type { Context, Hono } from "hono";
import type { Child } from "hono/jsx";
import type { StatusCode } from "hono/utils/http-status";
import { setNotFoundCaching, setPersonalCaching } from "../cache";
import { withoutFormToken } from "../comments/form-token";
import type { AppEnv } from "../env";
import { getTranslator, negotiateLanguage, type Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { computeEtag, matchesIfNoneMatch } from "../lib/etag";
import { ErrorView } from "../views/error-page";
import { Layout, type PageMeta } from "../views/layout";
import { PageProvider } from "../views/page-context";

/** Renders a full HTML page with the site's layout. */
export async function renderPage(c: Context<AppEnv>, meta: PageMeta, render: (t: Translate) => Child, status: StatusCode = 200): Promise<Response> {
  const site = c.get("site");
  const t = getTranslator(meta.lang);
  const page = (
    <PageProvider value={{ site, lang: meta.lang, t, timeZone: site.timeZone }}>
      <Layout meta={meta}>{render(t)}</Layout>
    </PageProvider>
  );
  const html = `<!DOCTYPE html>\n${await page}`;
  if (status !== 200) return c.html(html, status as 400);
  return sendWithEtag(c, html, "text/html; charset=UTF-8");
}

// The edge policy lives in src/cache/policy.ts; routes set it beside the page they build.
export { setPublicCaching } from "../cache";

/** A 200 response with a strong ETag (weak for a page whose only difference is its form token), or 304. */
export async function sendWithEtag(c: Context<AppEnv>, body: string, contentType: string): Promise<Response> {
  const stable = withoutFormToken(body);
  const etag = stable === body ? await computeEtag(body) : `W/${await computeEtag(stable)}`;
  c.header("ETag", etag);
  if (matchesIfNoneMatch(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
  c.header("Content-Type", contentType);
  return c.body(body, 200);
}

/** An error page in the language the browser prefers. */
export function renderErrorPage(
  c: Context<AppEnv>,
  status: 400 | 404 | 405 | 500,
  title: MessageKey,
  text: MessageKey | ((t: Translate) => string),
): Promise<Response> {
  const lang = negotiateLanguage(c.req.header("Accept-Language"), c.get("site").defaultLang);
  c.header("Vary", "Accept-Language");
  if (status === 404) setNotFoundCaching(c);
  else setPersonalCaching(c);
  return renderPage(
    c,
    { lang, title: getTranslator(lang)(title) },
    (t) => <ErrorView title={t(title)} text={typeof text === "function" ? text(t) : t(text)} />,
    status,
  );
}

/**
 * A 404 that the edge may keep for a minute, tagged with what would make it a
 * page (the article's slug, the tag): publishing that purges it at once.
 */
export function renderNotFound(c: Context<AppEnv>, tags: string[] = []): Promise<Response> {
  setNotFoundCaching(c, tags);
  return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
}

/** Answers 405 with an Allow header for any method a path does not serve. */
export function rejectOtherMethods(app: Hono<AppEnv>, paths: string[], allow = "GET, HEAD"): void {
  for (const path of paths) {
    app.all(path, (c) => {
      c.header("Allow", allow);
      return renderErrorPage(c, 405, "methodNotAllowedTitle", (t) => t("methodNotAllowedText", { methods: allow }));
    });
  }
}
