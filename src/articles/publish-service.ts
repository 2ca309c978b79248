// The Worker's part of a publish. `npm run publish` writes D1 through
// wrangler, which the Worker never sees, then asks it (POST
// /admin/api/cache/purge) to purge the pages the publish changed: this purge.
import { type PurgeContext, type PurgeOutcome, type PurgeRequest, purgeEdgeCache, purgeWholeEdgeCache } from "../cache";

/** Purges the pages a publish changed (the tags its plan names), or every page (a renderer upgrade, a large import); the publish command reports the outcome. */
export function purgePublishedPages(purge: PurgeContext, request: PurgeRequest): Promise<PurgeOutcome> {
  return "tags" in request ? purgeEdgeCache(purge, request.tags) : purgeWholeEdgeCache(purge);
}
