// The one module for caching: the edge policy (policy.ts), the tags pages
// carry (tags.ts), the purge (purge.ts) and the purges left for the cron
// after a failure (pending-purges.ts).
export * from "./pending-purges";
export * from "./policy";
export * from "./purge";
export * from "./tags";
