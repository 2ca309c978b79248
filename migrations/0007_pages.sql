-- Static pages (content/pages/*.md: Impressum, Datenschutz, Über uns) live in
-- the articles table, so they share its validation, plan, atomic publish and
-- slug space; `kind` keeps them out of lists, tag pages and feeds. `nav` and
-- `nav_order` place a page in the header or footer navigation; `role` marks
-- the pages a German site must link from every page. At most one page per
-- role is checked by the publisher (a unique index would make swapping a role
-- between two pages in one publish depend on row order).
ALTER TABLE articles ADD COLUMN kind TEXT NOT NULL DEFAULT 'article' CHECK (kind IN ('article', 'page'));
ALTER TABLE articles ADD COLUMN nav TEXT CHECK (nav IN ('header', 'footer'));
ALTER TABLE articles ADD COLUMN nav_order INTEGER;
ALTER TABLE articles ADD COLUMN role TEXT CHECK (role IN ('imprint', 'privacy'));
CREATE INDEX articles_by_kind ON articles (kind, status, published_at DESC);
