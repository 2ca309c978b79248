-- An article's own image (front matter image:, WordPress's featured image),
-- shown in lists and on the article and used for og:image at full size; its
-- size when publish could measure it, so the page reserves its room.
ALTER TABLE articles ADD COLUMN image TEXT;
ALTER TABLE articles ADD COLUMN image_alt TEXT;
ALTER TABLE articles ADD COLUMN image_width INTEGER;
ALTER TABLE articles ADD COLUMN image_height INTEGER;

-- Pinned articles (front matter pinned: true, WordPress's sticky posts) lead
-- the home page. The home list walks this index in its order (pinned first,
-- then newest first), reading no row for the ones it skips, as
-- articles_by_kind does for the other lists.
ALTER TABLE articles ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0 CHECK (pinned IN (0, 1));
CREATE INDEX articles_home ON articles (kind, status, pinned DESC, published_at DESC, translation_key, lang);

-- An imported comment's id on the old WordPress site: its page keeps the old
-- anchor (#comment-<id>) beside the new one, so links from elsewhere land.
ALTER TABLE comments ADD COLUMN wordpress_id TEXT;
