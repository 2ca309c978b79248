// The Worker's part of a publish. `npm run publish` writes D1 through
// wrangler, which the Worker never sees, then asks it (POST
// /admin/api/cache/purge) to purge the pages the publish changed: this purge.
import { type PurgeContext, type PurgeOutcome, purgeEdgeCache, purgeWholeEdgeCache } from "../cache";

/**
 * Purges the pages a publish changed, by the tags its plan names, or every
 * cached page when it names none (a renderer upgrade, a large import); the
 * publish command reports the outcome.
 */
export function purgePublishedPages(purge: PurgeContext, tags: string[] | undefined): Promise<PurgeOutcome> {
  return tags ? purgeEdgeCache(purge, tags) : purgeWholeEdgeCache(purge);
}
