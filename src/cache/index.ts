// The one module for caching: the edge policy (policy.ts), the tags pages
// carry (tags.ts) and the purge (purge.ts).
export * from "./policy";
export * from "./purge";
export * from "./tags";
