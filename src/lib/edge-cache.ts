// Moved to src/cache/ (policy, tags, purge). This re-export only keeps code
// written against the old path compiling; import from "../cache" instead.
export * from "../cache";
