-- Edge-cache tags whose purge failed after the write it follows had committed
-- (a moderation, an edit, a reply): the write stands and the request answers
-- as usual, and the 10-minute cron purges these tags again
-- (src/cache/pending-purges.ts). One row per tag: a tag recorded twice is
-- purged once.
CREATE TABLE pending_purges (
  tag TEXT PRIMARY KEY,
  recorded_at INTEGER NOT NULL
);
