-- Mail about comments that can run unattended.
--
-- Double opt-in: a commenter who ticks "notify me" gets one confirmation mail
-- (confirm_mail_at: when it went out) and no other mail until they confirm
-- through its signed link (notify_confirmed_at). Subscriptions made before
-- this migration were never confirmed: they get the confirmation mail too,
-- and nothing else until they confirm.
ALTER TABLE comments ADD COLUMN confirm_mail_at INTEGER;
ALTER TABLE comments ADD COLUMN notify_confirmed_at INTEGER;
-- The held-comment digest first takes what waits for it (held_digest_run: the
-- cron run's scheduled time), mails that, then marks exactly what it took: no
-- list of ids is ever bound, and a comment held meanwhile waits for the next run.
ALTER TABLE comments ADD COLUMN held_digest_run INTEGER;

-- A mail that failed, per comment and kind: tried again after a pause that
-- doubles (retry_at), and given up after the last try (retry_at NULL), so one
-- refused address never holds up the mails after it nor is tried for ever.
-- A mail sent after all keeps its record (its *_mail_at says it went).
CREATE TABLE comment_mail_failures (
  comment_id TEXT NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('confirm', 'approval', 'reply', 'digest')),
  tries INTEGER NOT NULL,
  last_error TEXT NOT NULL,
  failed_at INTEGER NOT NULL,
  retry_at INTEGER,
  PRIMARY KEY (comment_id, kind)
);

-- The cron looks for due mail every 10 minutes: these keep it from reading
-- every comment each time (only rows whose mail may still be due are in them;
-- imported comments, which never asked for mail, are not).
CREATE INDEX comments_confirm_due ON comments (created_at) WHERE notify_replies = 1 AND notify_confirmed_at IS NULL AND confirm_mail_at IS NULL;
CREATE INDEX comments_approval_due ON comments (created_at) WHERE notify_replies = 1 AND approval_mail_at IS NULL;
CREATE INDEX comments_reply_due ON comments (created_at) WHERE parent_id IS NOT NULL AND reply_mail_at IS NULL;
