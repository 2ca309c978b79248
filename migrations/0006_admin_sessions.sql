-- Admin sessions live on the server so that logging out ends them: the cookie
-- only names a row here. expires_at is set by the
-- server at login; whatever a cookie claims, a session ends then.
CREATE TABLE admin_sessions (
  id TEXT PRIMARY KEY,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  revoked_at INTEGER
);
CREATE INDEX admin_sessions_live ON admin_sessions (revoked_at, expires_at);

-- Wrong admin tokens (login form and API), per client network (IPv4 address or
-- IPv6 /64), so that guessing is throttled without locking out anyone else.
-- Only failures are recorded; rows older than the window are deleted.
CREATE TABLE admin_token_failures (
  client TEXT NOT NULL,
  failed_at INTEGER NOT NULL
);
CREATE INDEX admin_token_failures_by_client ON admin_token_failures (client, failed_at);
