// How routes turn views into responses: the page shell, error pages, 405s.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { StatusCode } from "hono/utils/http-status";
import { type Navigation, NO_NAVIGATION, toNavigation } from "../articles/navigation";
import { listNavigationEntries } from "../articles/static-page-queries";
import { cacheTags, setNotFoundCaching, setPersonalCaching } from "../cache";
import { withoutFormToken } from "../comments/form-token";
import type { Language } from "../db/schema";
import type { AppEnv } from "../env";
import { getTranslator, type Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { ErrorView } from "../views/error-page";
import { Layout, type PageMeta } from "../views/layout";
import { renderWithPage } from "../views/page-context";
import { readerDb } from "./db";

/**
 * The navigation for a page whose route did not batch it (error and admin
 * pages): one query. A page must still render when D1 fails (the 500 page), so
 * a failed read shows no links.
 */
async function loadNavigation(c: Context<AppEnv>): Promise<Navigation> {
  try {
    return toNavigation(await listNavigationEntries(readerDb(c), Date.now()));
  } catch (err) {
    console.error("navigation not loaded:", err);
    return NO_NAVIGATION;
  }
}

/** The translator for this site's pages: the page's language, in the register the site speaks to its readers (FORM_OF_ADDRESS). */
export function getPageTranslator(c: Context<AppEnv>, lang: Language): Translate {
  return getTranslator(lang, c.get("site").formOfAddress);
}

/** Renders a full HTML page with the site's layout, its navigation from meta or read here. */
export async function renderPage(c: Context<AppEnv>, meta: PageMeta, content: (t: Translate) => Child, status: StatusCode = 200): Promise<Response> {
  const site = c.get("site");
  const t = getPageTranslator(c, meta.lang);
  const navigation = meta.navigation ?? (await loadNavigation(c));
  const body = renderWithPage({ site, lang: meta.lang, t, timeZone: site.timeZone, navigation }, () => <Layout meta={meta}>{content(t)}</Layout>);
  const html = `<!DOCTYPE html>\n${body}`;
  if (status !== 200) return c.html(html, status as 400);
  return sendWithEtag(c, html, "text/html; charset=UTF-8");
}

// The edge policy lives in src/cache/policy.ts; routes set it beside the page they build.
export { setPublicCaching } from "../cache";

const encoder = new TextEncoder();

/**
 * A weak ETag from the body: 16 bytes of SHA-1, taken with the comment form's
 * token blanked, so pages that differ only in when their form was served are
 * one page and a revalidating browser keeps the form (and its time) it has.
 * Kept by hand instead of hono/etag: hashing the string we already hold is
 * cheaper than cloning the response and reading its body back.
 */
async function pageEtag(body: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-1", encoder.encode(withoutFormToken(body))));
  let hex = "";
  for (let i = 0; i < 16; i++) hex += (digest[i] ?? 0).toString(16).padStart(2, "0");
  return `W/"${hex}"`;
}

/** Whether If-None-Match names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === bare;
  });
}

/** A 200 response with a weak ETag, or 304 (with the same caching headers) when the client has these bytes. */
export async function sendWithEtag(c: Context<AppEnv>, body: string, contentType: string): Promise<Response> {
  const etag = await pageEtag(body);
  c.header("ETag", etag);
  if (matchesIfNoneMatch(c.req.header("If-None-Match"), etag)) return c.body(null, 304);
  c.header("Content-Type", contentType);
  return c.body(body, 200);
}

/** An error page in the language the browser prefers. */
export function renderErrorPage(
  c: Context<AppEnv>,
  status: 400 | 401 | 403 | 404 | 405 | 409 | 410 | 413 | 415 | 422 | 429 | 500 | 503,
  title: MessageKey,
  text: MessageKey | ((t: Translate) => string),
  opts: { tags?: string[]; navigation?: Navigation } = {},
): Promise<Response> {
  const lang = c.get("language");
  c.header("Vary", "Accept-Language");
  // A kept 404 shows the navigation too: publishing a page in it purges the 404 at once.
  if (status === 404 || status === 410) setNotFoundCaching(c, [...(opts.tags ?? []), cacheTags.nav]);
  else setPersonalCaching(c);
  return renderPage(
    c,
    { lang, title: getPageTranslator(c, lang)(title), navigation: opts.navigation },
    (t) => <ErrorView title={t(title)} text={typeof text === "function" ? text(t) : t(text)} />,
    status,
  );
}

/**
 * A 404 that the edge may keep for a minute, tagged with what would make it a
 * page (the article's slug, the tag): publishing that purges it at once.
 */
export function renderNotFound(c: Context<AppEnv>, tags: string[] = [], navigation?: Navigation): Promise<Response> {
  return renderErrorPage(c, 404, "notFoundTitle", "notFoundText", { tags, navigation });
}

/**
 * 410 Gone: an article or page that publish --prune took off the site (its
 * file is gone), at its URL or an old one. Kept like a 404, tagged with the
 * article's slug: putting the file back and publishing purges it.
 */
export function renderGone(c: Context<AppEnv>, slug: string, navigation?: Navigation): Promise<Response> {
  return renderErrorPage(c, 410, "goneTitle", "goneText", { tags: [cacheTags.article(slug)], navigation });
}

/** 405 with Allow (hono/method-not-allowed calls this): JSON under /admin/api, a page elsewhere. */
export function renderMethodNotAllowed(c: Context<AppEnv>, methods: string[]): Response | Promise<Response> {
  const allow = methods.join(", ");
  c.header("Allow", allow);
  if (c.req.path.startsWith("/admin/api/")) return c.json({ error: `${c.req.method} is not allowed here; use ${allow}` }, 405);
  return renderErrorPage(c, 405, "methodNotAllowedTitle", (t) => t("methodNotAllowedText", { methods: allow }));
}
