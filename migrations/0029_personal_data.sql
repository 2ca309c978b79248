-- A commenter's own data on request (Art. 15 and 17 DSGVO), and IP hashes
-- that expire.

-- Every request for a "your data" link, recorded as it is counted: at most a
-- few per address and per client an hour (src/comments/personal-data-queries.ts).
-- Both are salted hashes; the daily cron forgets the records after a day.
CREATE TABLE data_link_requests (
  id          INTEGER PRIMARY KEY,
  email_hash  TEXT    NOT NULL,
  client_hash TEXT,
  created_at  INTEGER NOT NULL
);
CREATE INDEX data_link_requests_by_email ON data_link_requests (email_hash, created_at);
CREATE INDEX data_link_requests_by_client ON data_link_requests (client_hash, created_at);
CREATE INDEX data_link_requests_by_time ON data_link_requests (created_at);

-- What was done on a commenter's request, from their own page, the CLI or the
-- API: the record a controller keeps of requests it answered. The address is
-- kept only as its salted hash; an erasure also makes the links mailed before
-- it useless (a link older than the address's last erasure is refused).
CREATE TABLE data_request_log (
  id             INTEGER PRIMARY KEY,
  action         TEXT    NOT NULL CHECK (action IN ('export', 'erase')),
  via            TEXT    NOT NULL CHECK (via IN ('page', 'cli', 'api')),
  email_hash     TEXT    NOT NULL,
  -- How many comments it covered; for an erasure whether they were deleted
  -- (1) or kept under "Anonym" (0), and how many mail subscriptions it ended.
  comments       INTEGER NOT NULL,
  deleted        INTEGER NOT NULL DEFAULT 0,
  subscriptions  INTEGER NOT NULL DEFAULT 0,
  at             INTEGER NOT NULL
);
CREATE INDEX data_request_log_by_email ON data_request_log (email_hash, action, at);

-- The daily cron clears the IP hash and user agent of comments older than
-- IP_HASH_RETENTION_DAYS: a range on the comments that still hold either, so
-- a run never reads the comments it cleared before.
CREATE INDEX comments_with_client ON comments (created_at) WHERE ip_hash IS NOT NULL OR user_agent IS NOT NULL;

-- A commenter's request also finds the messages the queue could not store
-- that carry their address (failed_messages.body, JSON when it parsed).
CREATE INDEX failed_messages_by_email ON failed_messages ((CASE WHEN json_valid(body) THEN lower(json_extract(body, '$.email')) END));
