-- The archive and its month pages on a big blog, so that
-- pages stay small. Their counts take one article per translation group, so they read
-- translation_key and lang of every visible article in the month: with both in
-- the visibility index, a count reads the index only, never the table rows.
-- The sibling check is
-- by articles_by_translation_key (src/articles/translations.ts).
DROP INDEX articles_by_kind;
CREATE INDEX articles_by_kind ON articles (kind, status, published_at DESC, translation_key, lang);
