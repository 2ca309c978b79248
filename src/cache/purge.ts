// Purging the edge cache: only the cache (deleting old data is "expire" or
// "delete" elsewhere). The Worker purges after moderation and from the
// consumer; the publish CLI asks the Worker (POST /admin/api/cache/purge),
// since D1 writes from wrangler never pass through it.
import { commentPageTags } from "./tags";

/** Cloudflare takes a limited number of tags per purge call. */
const TAGS_PER_PURGE = 30;
/** A read replica may lag the primary by moments: a page re-cached from it right after the purge would be stale. */
const SECOND_PURGE_DELAY_MS = 5_000;

/** What a purge needs from the platform: ExecutionContext's cache and waitUntil. */
export interface PurgeContext {
  cache?: CacheContext;
  waitUntil(p: Promise<unknown>): void;
}

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

/** Purges the tags now and once more a few seconds later (replica lag), through `waitUntil`. */
export async function purgeEdgeCache(ctx: PurgeContext, tags: string[]): Promise<PurgeOutcome> {
  const unique = [...new Set(tags)];
  if (!ctx.cache || unique.length === 0) return { purged: false, tags: unique };
  const cache = ctx.cache;
  await purgeNow(cache, unique);
  ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, SECOND_PURGE_DELAY_MS)).then(() => purgeNow(cache, unique)));
  return { purged: true, tags: unique };
}

/** After a comment changed (stored, moderated): the pages showing these articles' comments, their counts in lists, the comment feeds. */
export function purgeCommentPages(ctx: PurgeContext, articleIds: number[]): Promise<PurgeOutcome> {
  return purgeEdgeCache(ctx, commentPageTags(articleIds));
}
