-- The comments the WordPress import brought in, by id, kept after an editor
-- deletes one (or the clean-up expires it): importing again adds only the
-- comments it never brought, so a deleted comment does not come back.
-- Imported comments have name-based ids (UUID version 5, tools/wordpress/
-- comment-rows.ts), readers' and editors' random ones (version 4): the
-- comments imported before this table existed are recorded by that.
CREATE TABLE imported_comments (
  id TEXT PRIMARY KEY
);
INSERT INTO imported_comments (id) SELECT id FROM comments WHERE substr(id, 15, 1) = '5';
