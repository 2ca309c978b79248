-- Comment pages: an article's approved top-level comments in thread
-- order, so a page's threads are found by a bounded offset on this small
-- index, and the thread count of an article is an index-only count. parent_id
-- and status are in it too: SQLite checks the WHERE terms again on each entry,
-- and with them here it need not read the table rows to do so.
CREATE INDEX comments_top_level ON comments (article_id, created_at, id, parent_id, status) WHERE parent_id IS NULL AND status = 'approved';
