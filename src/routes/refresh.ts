// The admin routes' way into src/cache/purge.ts: they hold Hono's context,
// the purge takes the platform's execution context.
import type { Context } from "hono";
import { type PurgeOutcome, purgeCommentPages as purgeForArticles } from "../cache";
import type { AppEnv } from "../env";

/** After moderation: the pages showing these articles' comments (pages, counts in lists, comment feeds). */
export function purgeCommentPages(c: Context<AppEnv>, articleIds: number[]): Promise<PurgeOutcome> {
  return purgeForArticles(c.executionCtx, articleIds);
}
