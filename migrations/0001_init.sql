-- Articles, tags and comments. Times are Unix epoch milliseconds (UTC).

CREATE TABLE articles (
  id            INTEGER PRIMARY KEY,
  slug          TEXT    NOT NULL UNIQUE,
  title         TEXT    NOT NULL,
  summary       TEXT,
  body_md       TEXT    NOT NULL,
  -- SHA-256 of body_md, written by whoever writes body_md.
  body_hash     TEXT    NOT NULL,
  -- Markdown rendered once per version: html_version is "<renderer>:<body_hash>"
  -- of the body it was rendered from; a mismatch means "render again".
  body_html     TEXT,
  html_version  TEXT,
  -- Plain-text opening of the body, for lists when there is no summary.
  excerpt       TEXT,
  lang          TEXT    NOT NULL CHECK (lang IN ('de', 'en')),
  status        TEXT    NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
  published_at  INTEGER,
  updated_at    INTEGER NOT NULL,
  author        TEXT,
  comments      TEXT    NOT NULL DEFAULT 'open' CHECK (comments IN ('open', 'closed')),
  -- Hash of the whole source file, so the publisher can tell unchanged files.
  source_hash   TEXT,
  source_path   TEXT,
  CHECK (status = 'draft' OR published_at IS NOT NULL)
);
CREATE INDEX articles_by_visibility ON articles (status, published_at DESC);

CREATE TABLE article_aliases (
  slug        TEXT    PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE
);
CREATE INDEX article_aliases_by_article ON article_aliases (article_id);

CREATE TABLE tags (
  id    INTEGER PRIMARY KEY,
  slug  TEXT NOT NULL UNIQUE,
  name  TEXT NOT NULL
);

CREATE TABLE article_tags (
  article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  tag_id      INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);

CREATE TABLE comments (
  -- Chosen by the producer (the Worker that accepted the comment), so a queue
  -- redelivery of the same message cannot create a second row.
  id          TEXT    PRIMARY KEY,
  article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
  parent_id   TEXT    REFERENCES comments (id) ON DELETE SET NULL,
  author      TEXT    NOT NULL,
  email       TEXT    NOT NULL,
  url         TEXT,
  body_raw    TEXT    NOT NULL,
  body_html   TEXT    NOT NULL,
  status      TEXT    NOT NULL DEFAULT 'pending'
                CHECK (status IN ('pending', 'approved', 'spam', 'trash')),
  -- JSON array of strings: why the checks held or flagged the comment.
  reasons     TEXT    NOT NULL DEFAULT '[]',
  ip_hash     TEXT,
  user_agent  TEXT,
  created_at  INTEGER NOT NULL,
  decided_at  INTEGER
);
CREATE INDEX comments_by_article ON comments (article_id, status, created_at);
CREATE INDEX comments_by_status ON comments (status, created_at DESC);
CREATE INDEX comments_by_parent ON comments (parent_id);
