-- Drafts to share: `npm run preview` stores a rendered draft here,
-- apart from `articles`, so no list, feed, sitemap or search query can see it.
-- A row is read through a signed link until expires_at; publishing the slug
-- deletes its previews in the publish transaction.
CREATE TABLE previews (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL,
  title TEXT NOT NULL,
  lang TEXT NOT NULL CHECK (lang IN ('de', 'en')),
  body_html TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
);
CREATE INDEX previews_by_slug ON previews (slug);
CREATE INDEX previews_by_expiry ON previews (expires_at);
