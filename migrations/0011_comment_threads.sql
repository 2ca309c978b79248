-- Comment pages (issue 12): an article's approved top-level comments in thread
-- order, so a page's threads are found by a bounded offset on this small
-- index, and the thread count of an article is an index-only count.
CREATE INDEX comments_top_level ON comments (article_id, created_at, id) WHERE parent_id IS NULL AND status = 'approved';
