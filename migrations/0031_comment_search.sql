-- Approved comments are searchable too: readers find a discussion by what was
-- said in it, and the hit links the comment's place on its article's comment
-- page. The index holds approved comments only and follows the comments table
-- through triggers, so every write that approves, rejects, edits, anonymises
-- or deletes a comment (the Worker, the consumer, the CLI, a hand-run UPDATE)
-- updates it in the same transaction. Same tokens as the article index.
CREATE VIRTUAL TABLE comment_search USING fts5 (
  author, body,
  tokenize = 'trigram remove_diacritics 1'
);

INSERT INTO comment_search (rowid, author, body)
SELECT rowid, author, body_raw FROM comments WHERE status = 'approved';

CREATE TRIGGER comment_search_after_insert AFTER INSERT ON comments WHEN new.status = 'approved' BEGIN
  INSERT INTO comment_search (rowid, author, body) VALUES (new.rowid, new.author, new.body_raw);
END;

CREATE TRIGGER comment_search_after_update AFTER UPDATE OF status, author, body_raw ON comments BEGIN
  DELETE FROM comment_search WHERE rowid = old.rowid;
  INSERT INTO comment_search (rowid, author, body) SELECT new.rowid, new.author, new.body_raw WHERE new.status = 'approved';
END;

CREATE TRIGGER comment_search_after_delete AFTER DELETE ON comments BEGIN
  DELETE FROM comment_search WHERE rowid = old.rowid;
END;
