-- An article keeps its row (and so its comments, tags and translations)
-- across renames, moves and a spell offline.
--
-- source_id: the stable id `npm run publish` writes into a file's front
-- matter (`id:`) the first time it publishes it; it finds the article again
-- when both the file's path and its slug changed. NULL for rows published
-- before ids existed (and for rows written by hand): those are found by their
-- source path, then their slug.
--
-- gone_at: when `npm run publish -- --prune` took the article off the site
-- because its file is gone (epoch ms); NULL while it has a file. Such a row
-- is a draft (so no reader query shows it) and its URL answers 410 Gone; the
-- row and its comments stay until an editor deletes it for good
-- (`npm run delete`). Putting the file back publishes it again.
ALTER TABLE articles ADD COLUMN source_id TEXT;
ALTER TABLE articles ADD COLUMN gone_at INTEGER;
CREATE UNIQUE INDEX articles_by_source_id ON articles (source_id);

-- Where an alias came from: 'file' (the article's `aliases:`, replaced at each
-- publish) or 'rename' (a former slug of the article, kept by the publisher so
-- the old URL redirects, whatever the file's `aliases:` say).
ALTER TABLE article_aliases ADD COLUMN origin TEXT NOT NULL DEFAULT 'file' CHECK (origin IN ('file', 'rename'));
