// Purging the edge cache: only the cache (deleting old data is "expire" or
// "delete" elsewhere). The Worker purges after moderation and from the
// consumer; the publish CLI asks the Worker (POST /admin/api/cache/purge),
// since D1 writes from wrangler never pass through it. Every purge fits
// Cloudflare's limits (src/db/limits.ts): at most PURGE_MAX_TAGS_PER_CALL
// tags a call, and no more calls at once than the purge bucket holds.
import { PURGE_BURST_CALLS, PURGE_MAX_TAGS_PER_CALL } from "../db/limits";
import { commentPageTags } from "./tags";

/** A read replica may lag the primary by moments: a page re-cached from it right after the purge would be stale. */
const SECOND_PURGE_DELAY_MS = 5_000;

/** What a purge needs from the platform: ExecutionContext's cache and waitUntil. */
export interface PurgeContext {
  cache?: CacheContext;
  waitUntil(p: Promise<unknown>): void;
}

/** What to purge: tags, or every cached page. */
type PurgeRequest = { tags: string[] } | { everything: true };

export interface PurgeOutcome {
  /** False when this Worker runs without Workers Cache (locally, or with [cache] off). */
  purged: boolean;
  tags: string[];
  /** True when every cached page was purged (asked for, or more tags than the purge rate allows at once). */
  everything: boolean;
  /** Purge calls Cloudflare refused (its rate limit, an error): their pages refresh when their edge lifetime ends. */
  failedCalls: number;
}

/** The Cloudflare purge calls that purging this many tags takes: one per PURGE_MAX_TAGS_PER_CALL, and each again after the replica delay. */
export function countPurgeCalls(tagCount: number): number {
  return 2 * Math.ceil(tagCount / PURGE_MAX_TAGS_PER_CALL);
}

/** Whether purging this many tags one by one would take more calls than Cloudflare's purge bucket allows at once. */
function exceedsPurgeBurst(tagCount: number): boolean {
  return countPurgeCalls(tagCount) > PURGE_BURST_CALLS;
}

function splitIntoCalls(request: PurgeRequest): CachePurgeOptions[] {
  if ("everything" in request) return [{ purgeEverything: true }];
  const calls: CachePurgeOptions[] = [];
  for (let i = 0; i < request.tags.length; i += PURGE_MAX_TAGS_PER_CALL) calls.push({ tags: request.tags.slice(i, i + PURGE_MAX_TAGS_PER_CALL) });
  return calls;
}

/** Makes the calls one after another; resolves to the number Cloudflare refused. */
async function purgeNow(cache: CacheContext, calls: CachePurgeOptions[]): Promise<number> {
  let failed = 0;
  for (const options of calls) {
    const result = await cache.purge(options).catch((error: unknown): CachePurgeResult => ({ success: false, errors: [{ code: 0, message: String(error) }] }));
    if (!result.success) {
      failed++;
      console.error("cache purge failed", result.errors);
    }
  }
  return failed;
}

/**
 * Purges the tags now and once more a few seconds later (replica lag), through
 * `waitUntil`. More tags than the purge bucket allows at once purge every page
 * instead: that is one call, and what so large a change needs anyway.
 */
export async function purgeEdgeCache(ctx: PurgeContext, tags: string[]): Promise<PurgeOutcome> {
  const unique = [...new Set(tags)];
  if (unique.length === 0) return { purged: false, tags: unique, everything: false, failedCalls: 0 };
  return purgeEdge(ctx, exceedsPurgeBurst(unique.length) ? { everything: true } : { tags: unique }, unique);
}

/** Purges every page the Worker cached, now and once more after the replica delay. */
export function purgeWholeEdgeCache(ctx: PurgeContext): Promise<PurgeOutcome> {
  return purgeEdge(ctx, { everything: true }, []);
}

async function purgeEdge(ctx: PurgeContext, request: PurgeRequest, tags: string[]): Promise<PurgeOutcome> {
  const everything = "everything" in request;
  if (!ctx.cache) return { purged: false, tags, everything, failedCalls: 0 };
  const cache = ctx.cache;
  const calls = splitIntoCalls(request);
  const failedCalls = await purgeNow(cache, calls);
  ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, SECOND_PURGE_DELAY_MS)).then(() => purgeNow(cache, calls)));
  return { purged: true, tags, everything, failedCalls };
}

/** After a comment changed (stored, moderated): the pages showing these articles' comments, their counts in lists, the comment feeds. */
export function purgeCommentPages(ctx: PurgeContext, articleIds: number[]): Promise<PurgeOutcome> {
  return purgeEdgeCache(ctx, commentPageTags(articleIds));
}
