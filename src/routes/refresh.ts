// After a change to published content, the edge cache drops exactly the
// pages that show it (see lib/edge-cache.ts for the tags).
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { cacheTags, type PurgeOutcome, purgeEdgeCache } from "../lib/edge-cache";

/** After moderation: the pages showing these articles' comments (pages, counts in lists, comment feeds). */
export function purgeCommentPages(c: Context<AppEnv>, articleIds: number[]): Promise<PurgeOutcome> {
  if (articleIds.length === 0) return Promise.resolve({ purged: false, tags: [] });
  return purgeEdgeCache(c.executionCtx, [...articleIds.map(cacheTags.articleComments), cacheTags.comments]);
}
