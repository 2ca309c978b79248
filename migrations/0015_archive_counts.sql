-- The archive's month counts, kept once counted, so that
-- pages stay small. Counting reads one index entry per visible article, so on a big
-- blog every uncached /archive cost more than on a small one. A count is kept
-- with the version of the articles table it was made from: any insert, update
-- or delete of an article (publish, import, prune, whatever path) moves the
-- version on, and a kept count of another version is never read. A count
-- made on a lagging read replica is only stored when the primary still has
-- the version it was made from (src/articles/archive-counts.ts).
CREATE TABLE articles_version (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  version INTEGER NOT NULL
);
INSERT INTO articles_version (id, version) VALUES (1, 0);

CREATE TRIGGER articles_version_insert AFTER INSERT ON articles BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER articles_version_update AFTER UPDATE ON articles BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER articles_version_delete AFTER DELETE ON articles BEGIN
  UPDATE articles_version SET version = version + 1 WHERE id = 1;
END;

-- key: the time zone, default language and month the counts were made for;
-- valid_until: when the next scheduled article becomes visible (NULL: none).
CREATE TABLE archive_counts (
  key TEXT PRIMARY KEY,
  version INTEGER NOT NULL,
  valid_until INTEGER,
  months TEXT NOT NULL
);
