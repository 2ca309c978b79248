-- Old URLs and where they live now: written by `npm run import:wordpress`
-- (the imported site's /?p=12, post links, categories, tags, uploads), read
-- by src/routes/redirects.ts. from_path is the normalized key
-- (src/redirects/normalize.ts): path decoded, without trailing slash, plus
-- only the query parameters WordPress routes by.
CREATE TABLE redirects (
  from_path  TEXT    PRIMARY KEY,
  to_path    TEXT    NOT NULL,
  status     INTEGER NOT NULL DEFAULT 301 CHECK (status IN (301, 302, 307, 308))
);
