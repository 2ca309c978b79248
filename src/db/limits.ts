// The platform's limits that SQL and purges must fit, named once for the
// Worker and the tools alike. Pure constants: nothing here imports node:* or
// the Workers runtime.

// D1 (developers.cloudflare.com/d1/platform/limits/).

/** Bound parameters one statement may carry. */
/** @public */
export const D1_MAX_BOUND_PARAMETERS = 100;
/** Bytes of SQL text one statement may have (100 KB). */
export const D1_MAX_STATEMENT_BYTES = 100_000;
/** Queries one Worker invocation may run on the Workers Free plan. */
/** @public */
export const D1_MAX_QUERIES_PER_INVOCATION = 50;
/** Bytes one LIKE or GLOB pattern may have. */
export const D1_MAX_LIKE_PATTERN_BYTES = 50;

// Cloudflare's purge (developers.cloudflare.com/cache/how-to/purge-cache/#purge-limits
// and developers.cloudflare.com/workers/cache/limitations/). Workers Cache
// purges always count against the Free plan's bucket, whatever the account's plan.

/** Tags one purge call may name ("max operations per request", every plan). */
export const PURGE_MAX_TAGS_PER_CALL = 100;
/** Characters one tag in a purge call may have. */
/** @public */
export const PURGE_MAX_TAG_CHARS = 1024;
/** Purge calls the bucket holds: this many may go at once. */
export const PURGE_BURST_CALLS = 25;
/** Purge calls the bucket regains a minute. */
export const PURGE_CALLS_PER_MINUTE = 5;

// The Worker's own purge endpoint (POST /admin/api/cache/purge), which the
// publish command calls. One request of PURGE_API_MAX_TAGS tags takes
// 1000 / 100 calls, and as many again when the purge repeats: 20, inside the burst.

/** Tags one request to the purge endpoint may name. */
export const PURGE_API_MAX_TAGS = 1000;
/** Bytes one request body to the purge endpoint may have. */
export const PURGE_API_MAX_BODY_BYTES = 64 * 1024;
