// The edge policy: what browsers and Cloudflare may keep, and for how long.
// Workers Cache ([cache] in wrangler.toml) stores public pages by
// Cloudflare-CDN-Cache-Control under their Cache-Tag; browsers revalidate
// every time (max-age=0 with an ETag), so a purge reaches readers at their
// next request. Anything made for one person is never stored anywhere.
import type { Context } from "hono";

/** Reader pages: browsers ask again every time (a 304 when nothing changed). */
const CACHE_PAGE = "public, max-age=0, must-revalidate";
/** Error pages for things that may appear later (an article not yet published). */
const CACHE_NOT_FOUND = "public, max-age=60";
/** Files whose URL changes with their content. */
const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
/**
 * Personal responses (a form's errors, a cookie, a submitter's own comment,
 * the admin): never stored. "private" says it once more for a cache in
 * between that reads no-store loosely.
 */
export const CACHE_NONE = "private, no-store";

/** How long the edge keeps a page when nothing purges it sooner. */
export const EDGE_MAX_AGE_SECONDS = 86_400;
/** After that, the edge may answer with the old page while it fetches a new one. */
const EDGE_STALE_SECONDS = 3_600;

type HeaderSetter = Pick<Context, "header">;

/**
 * The edge's Cache-Control for a public page: at most `maxAgeSeconds`, and
 * never past `expiresAt` (the next scheduled article, which must appear on
 * time without a purge).
 */
function edgeCacheControl(now: number, expiresAt: number | null = null): string {
  const untilScheduled = expiresAt === null ? Infinity : Math.max(1, Math.ceil((expiresAt - now) / 1000));
  const maxAge = Math.min(EDGE_MAX_AGE_SECONDS, untilScheduled);
  const stale = untilScheduled === Infinity || untilScheduled > EDGE_MAX_AGE_SECONDS ? `, stale-while-revalidate=${EDGE_STALE_SECONDS}` : "";
  return `public, max-age=${maxAge}${stale}`;
}

/** The Cache-Tag header value: unique tags, comma-separated. */
function cacheTagHeader(tags: string[]): string {
  return [...new Set(tags)].join(",");
}

/**
 * A public page for the edge: browsers revalidate every time, the edge keeps
 * it (at most until `changesAt`, when a scheduled article appears) under the
 * tags of what it shows, so a purge can drop it.
 */
export function setPublicCaching(c: HeaderSetter, tags: string[], changesAt: number | null = null, now = Date.now()): void {
  c.header("Cache-Control", CACHE_PAGE);
  c.header("Cloudflare-CDN-Cache-Control", edgeCacheControl(now, changesAt));
  c.header("Cache-Tag", cacheTagHeader(tags));
}

/** A public response that browsers revalidate and the edge keeps by its Cache-Control alone (redirects, robots.txt). */
export function setRevalidatedCaching(c: HeaderSetter): void {
  c.header("Cache-Control", CACHE_PAGE);
}

/** A 404 that may become a page: kept a minute, and purged at once by the tags of what would fill it. */
export function setNotFoundCaching(c: HeaderSetter, tags: string[] = []): void {
  c.header("Cache-Control", CACHE_NOT_FOUND);
  if (tags.length > 0) c.header("Cache-Tag", cacheTagHeader(tags));
}

/** A file whose URL names its content (a hash): kept for a year everywhere. */
export function setImmutableCaching(c: HeaderSetter): void {
  c.header("Cache-Control", CACHE_IMMUTABLE);
}

/** A response made for one person: stored nowhere, whatever a route set before. */
export function setPersonalCaching(c: HeaderSetter): void {
  c.header("Cache-Control", CACHE_NONE);
  c.header("Cloudflare-CDN-Cache-Control", undefined);
  c.header("Cache-Tag", undefined);
}
