-- Every background and admin query finds its rows through an index, so none
-- reads every comment (test/db/query-plans.test.ts checks each plan).

-- The moderation lists page by (created_at, id), newest first, with or without
-- a status: each page is one range on one of these two, however many comments
-- there are, instead of sorting every comment (or every comment of a status).
DROP INDEX comments_by_status;
CREATE INDEX comments_by_status ON comments (status, created_at, id);
CREATE INDEX comments_by_time ON comments (created_at, id);

-- The desk's decisions of the last seven days: a range on decided_at.
CREATE INDEX comments_by_decision ON comments (decided_at);

-- The daily clean-up deletes spam and trash decided before a cut-off: a range
-- on this index of spam and trash only (the clean-up's WHERE names both, as here).
CREATE INDEX comments_expiring ON comments (coalesce(decided_at, created_at)) WHERE status IN ('spam', 'trash');

-- The clean-up forgets old submission records, and every token check the
-- admin's old token failures: a range on their time each.
CREATE INDEX comment_submissions_by_time ON comment_submissions (created_at);
CREATE INDEX admin_token_failures_by_time ON admin_token_failures (failed_at);

-- How many comments have each status, kept by triggers whatever writes the
-- comments (the consumer, the moderation, the clean-up, the CLI, an import,
-- a hand-run UPDATE): the desk reads four rows, not an index entry per comment.
CREATE TABLE comment_counts (
  status TEXT    PRIMARY KEY CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
  n      INTEGER NOT NULL
);
INSERT INTO comment_counts (status, n)
  SELECT s.status, (SELECT count(*) FROM comments c WHERE c.status = s.status)
  FROM (SELECT 'pending' AS status UNION ALL SELECT 'approved' UNION ALL SELECT 'spam' UNION ALL SELECT 'trash') s;

CREATE TRIGGER comment_counts_insert AFTER INSERT ON comments BEGIN
  UPDATE comment_counts SET n = n + 1 WHERE status = NEW.status;
END;
CREATE TRIGGER comment_counts_delete AFTER DELETE ON comments BEGIN
  UPDATE comment_counts SET n = n - 1 WHERE status = OLD.status;
END;
CREATE TRIGGER comment_counts_update AFTER UPDATE OF status ON comments WHEN OLD.status IS NOT NEW.status BEGIN
  UPDATE comment_counts SET n = n - 1 WHERE status = OLD.status;
  UPDATE comment_counts SET n = n + 1 WHERE status = NEW.status;
END;
