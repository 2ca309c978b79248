-- What the comment endpoint accepted, written before the message goes onto the
-- queue: flood control, the per-IP rate limit and duplicate detection read it,
-- because the comments themselves arrive in D1 only after the consumer ran.
CREATE TABLE comment_submissions (
  id           TEXT    PRIMARY KEY,      -- the comment id, chosen by the producer
  article_id   INTEGER NOT NULL,
  ip_hash      TEXT,
  email_hash   TEXT    NOT NULL,
  -- SHA-256 of article, parent, e-mail and text: the same comment twice is a duplicate.
  fingerprint  TEXT    NOT NULL UNIQUE,
  created_at   INTEGER NOT NULL
);
CREATE INDEX comment_submissions_by_ip ON comment_submissions (ip_hash, created_at);
CREATE INDEX comment_submissions_by_email ON comment_submissions (email_hash, created_at);

-- Queue messages the consumer could not store (malformed, or dead-lettered
-- after their last retry), kept for the moderators so nothing is lost silently.
CREATE TABLE failed_messages (
  id           TEXT    PRIMARY KEY,      -- queue name and message id
  queue        TEXT    NOT NULL,
  body         TEXT    NOT NULL,
  error        TEXT    NOT NULL,
  attempts     INTEGER NOT NULL,
  created_at   INTEGER NOT NULL,
  resolved_at  INTEGER
);
CREATE INDEX failed_messages_open ON failed_messages (resolved_at, created_at);
