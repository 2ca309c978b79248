-- E-mail about comments. held_mail: what the moderators were told of
-- a held comment: 'sent' (its own mail, at held_mail_at), 'digest' (too many at
-- once: waits for the next digest), 'digested' (listed in a digest). Null: not
-- yet (or never held). Recorded after the send, so a retry never mails twice.
ALTER TABLE comments ADD COLUMN held_mail TEXT CHECK (held_mail IN ('sent', 'digest', 'digested'));
ALTER TABLE comments ADD COLUMN held_mail_at INTEGER;
-- The commenter asked to be told of the approval and of replies (off by default).
ALTER TABLE comments ADD COLUMN notify_replies INTEGER NOT NULL DEFAULT 0;
-- When the commenter's approval mail went out; a reply's mail to its parent's author.
ALTER TABLE comments ADD COLUMN approval_mail_at INTEGER;
ALTER TABLE comments ADD COLUMN reply_mail_at INTEGER;
-- Rows stored before this migration are never mailed about.
UPDATE comments SET held_mail = 'digested', approval_mail_at = coalesce(decided_at, created_at), reply_mail_at = coalesce(decided_at, created_at);
-- The digest counts mails of the last minutes and collects what waits for it.
CREATE INDEX comments_by_held_mail ON comments (held_mail, held_mail_at);
