-- The editor's own replies, told apart by how they were written and not by
-- name or e-mail, which any reader can type: 1 only for a reply written in the
-- admin (replyAsEditor). Readers see such a reply marked as the editor's, and
-- it never makes its name and e-mail a known author for first_time moderation.
-- Replies written before this column stay 0: nothing in their rows tells them
-- apart from a reader's comment with certainty, and a mark wrongly given to a
-- reader would be worse than one missing.
ALTER TABLE comments ADD COLUMN by_editor INTEGER NOT NULL DEFAULT 0 CHECK (by_editor IN (0, 1));
