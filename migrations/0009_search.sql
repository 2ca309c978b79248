-- Full-text search over articles and pages. The index follows the
-- articles table through triggers, so every write that changes an article —
-- publish, import, prune, a hand-run UPDATE — updates the index in the same
-- transaction, and no writer has to remember it.
--
-- Trigram tokens match any substring of three or more characters, with case
-- and diacritics folded: "moglichkeiten" finds "Möglichkeiten", "Market"
-- finds "Marketing", and "marketing" finds the German compound
-- "Onlinemarketing". Shorter terms are matched with LIKE (see src/search).

-- The body as plain text (tags dropped), written at publish time; the index
-- reads it, and search snippets are cut from it. Until an article is published
-- again, the index falls back to its Markdown.
ALTER TABLE articles ADD COLUMN body_text TEXT;

CREATE VIRTUAL TABLE search_index USING fts5 (
  title, summary, tags, body,
  tokenize = 'trigram remove_diacritics 1'
);

INSERT INTO search_index (rowid, title, summary, tags, body)
SELECT a.id, a.title, coalesce(a.summary, ''),
       coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id), ''),
       coalesce(a.body_text, a.body_md)
FROM articles a;

CREATE TRIGGER search_after_article_insert AFTER INSERT ON articles BEGIN
  INSERT INTO search_index (rowid, title, summary, tags, body)
  VALUES (new.id, new.title, coalesce(new.summary, ''), '', coalesce(new.body_text, new.body_md));
END;

CREATE TRIGGER search_after_article_update AFTER UPDATE OF title, summary, body_md, body_text ON articles BEGIN
  UPDATE search_index
  SET title = new.title, summary = coalesce(new.summary, ''), body = coalesce(new.body_text, new.body_md)
  WHERE rowid = new.id;
END;

CREATE TRIGGER search_after_article_delete AFTER DELETE ON articles BEGIN
  DELETE FROM search_index WHERE rowid = old.id;
END;

CREATE TRIGGER search_after_tag_added AFTER INSERT ON article_tags BEGIN
  UPDATE search_index
  SET tags = coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = new.article_id), '')
  WHERE rowid = new.article_id;
END;

CREATE TRIGGER search_after_tag_removed AFTER DELETE ON article_tags BEGIN
  UPDATE search_index
  SET tags = coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = old.article_id), '')
  WHERE rowid = old.article_id;
END;

CREATE TRIGGER search_after_tag_renamed AFTER UPDATE OF name ON tags BEGIN
  UPDATE search_index
  SET tags = coalesce((SELECT group_concat(t.name, ' ') FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = search_index.rowid), '')
  WHERE rowid IN (SELECT article_id FROM article_tags WHERE tag_id = new.id);
END;
