// Caching in front of the Worker: Workers Cache ([cache] in wrangler.toml)
// stores public pages by the Cloudflare-CDN-Cache-Control header, tagged by
// what they show (Cache-Tag), and the Worker purges exactly those tags when
// that content changes. Browsers still revalidate every time (Cache-Control:
// max-age=0 with an ETag), so a purge reaches readers at their next request.

export { cacheTags, isCacheTag } from "./cache-tags";

/** How long the edge keeps a page when nothing purges it sooner. */
export const EDGE_MAX_AGE_SECONDS = 86_400;
/** After that, the edge may answer with the old page while it fetches a new one. */
export const EDGE_STALE_SECONDS = 3_600;

/**
 * The edge's Cache-Control for a public page: at most `maxAgeSeconds`, and
 * never past `expiresAt` (the next scheduled article, which must appear on
 * time without a purge).
 */
export function edgeCacheControl(now: number, expiresAt: number | null = null): string {
  const untilScheduled = expiresAt === null ? Infinity : Math.max(1, Math.ceil((expiresAt - now) / 1000));
  const maxAge = Math.min(EDGE_MAX_AGE_SECONDS, untilScheduled);
  const stale = untilScheduled === Infinity || untilScheduled > EDGE_MAX_AGE_SECONDS ? `, stale-while-revalidate=${EDGE_STALE_SECONDS}` : "";
  return `public, max-age=${maxAge}${stale}`;
}

/** The Cache-Tag header value: unique tags, comma-separated. */
export function cacheTagHeader(tags: string[]): string {
  return [...new Set(tags)].join(",");
}

/** Cloudflare takes a limited number of tags per purge call. */
const TAGS_PER_PURGE = 30;
/** A read replica may lag the primary by moments: a page re-cached from it right after the purge would be stale. */
const SECOND_PURGE_DELAY_MS = 5_000;

export interface PurgeOutcome {
  /** False when this Worker runs without Workers Cache (locally, or with [cache] off). */
  purged: boolean;
  tags: string[];
}

async function purgeNow(cache: CacheContext, tags: string[]): Promise<void> {
  for (let i = 0; i < tags.length; i += TAGS_PER_PURGE) {
    const result = await cache.purge({ tags: tags.slice(i, i + TAGS_PER_PURGE) });
    if (!result.success) console.error("cache purge failed", result.errors);
  }
}

/** Purges the tags now and once more a few seconds later (replica lag), through `defer`. */
export async function purgeEdgeCache(ctx: { cache?: CacheContext; waitUntil(p: Promise<unknown>): void }, tags: string[]): Promise<PurgeOutcome> {
  const unique = [...new Set(tags)];
  if (!ctx.cache || unique.length === 0) return { purged: false, tags: unique };
  const cache = ctx.cache;
  await purgeNow(cache, unique);
  ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, SECOND_PURGE_DELAY_MS)).then(() => purgeNow(cache, unique)));
  return { purged: true, tags: unique };
}
