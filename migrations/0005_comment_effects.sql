-- When the consumer finished what follows storing a comment (the edge-cache
-- purge for a published comment, the moderators' notice for a held one). A
-- redelivered message that finds its row with this unset does those again, so
-- they happen at least once. Rows stored before this column existed count as done.
ALTER TABLE comments ADD COLUMN effects_done_at INTEGER;
UPDATE comments SET effects_done_at = coalesce(decided_at, created_at);
