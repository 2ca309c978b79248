-- Articles that share a translation_key (front matter `translationKey`) are
-- translations of one another; article pages link them with hreflang. The
-- article page finds an article's translations by this key on every request.
ALTER TABLE articles ADD COLUMN translation_key TEXT;
CREATE INDEX articles_by_translation_key ON articles (translation_key);
