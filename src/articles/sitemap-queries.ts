// SQL for the sitemap: one slice of its URLs, or only how many there are when
// /sitemap.xml is an index of parts (src/routes/sitemap.ts).
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { KIND_ARTICLE, KIND_PAGE } from "../db/schema";
import { nextScheduledSql, visibleSql } from "./visibility";

export interface SitemapLists {
  /** Every URL the sitemap lists: the home page, each visible article, each tag in use. */
  total: number;
  articles: { slug: string; lastModified: number }[];
  /** When the next scheduled article becomes visible (null: none). */
  nextScheduledAt: number | null;
  /** Tags with at least one visible article, and when the newest of those changed. */
  tags: { slug: string; lastModified: number }[];
  /** Every visible static page (served at /<slug>), by slug: few, so every slice reads them all. */
  pages: { slug: string; lastModified: number }[];
}

/** At most this many static pages are listed: pages are a site's Impressum, privacy statement and a few more. */
const MAX_SITEMAP_PAGES = 1000;
/** The URLs after the articles and tags besides the pages: the archive and the tag index (src/routes/sitemap.ts). */
const SITEMAP_TAIL_URLS = 2;

/** A whole number for SQL: D1 may bind a JS number as REAL, and LIMIT and OFFSET need INTEGER. */
const int = (n: number) => sql`CAST(${n} AS INTEGER)`;

/** The statement's articles are `a`. */
const A = { alias: "a" };

type Row = { section: 0 | 1 | 2 | 3; slug: string | null; lm: number | null; visible: number; used: number; next: number | null };

/**
 * One slice of the sitemap's URLs, in one statement: in the order home page,
 * visible articles (newest first), tags in use (by slug), the `count` URLs
 * from position `start` (0 = the home page), and all static pages. The counts
 * are made once (a CTE); articles and tags are each read from their own
 * offset, tags only when the slice reaches them. With `unlessMoreThan`, no URL
 * is read when there are more (the sitemap is then an index). Each list starts
 * from a gate, a table of one row or none, so a closed one reads nothing.
 */
export async function listSitemapEntries(db: Db, now: number, slice: { start: number; count: number; unlessMoreThan?: number }): Promise<SitemapLists> {
  const articleOffset = Math.max(0, slice.start - 1);
  const whole = slice.unlessMoreThan === undefined ? sql`1` : sql`1 + visible + used + ${int(SITEMAP_TAIL_URLS)} + pages <= ${int(slice.unlessMoreThan)}`;
  const rows = await db.all<Row>(sql`
    WITH counts(visible, used, pages, next) AS MATERIALIZED (SELECT
        (SELECT count(*) FROM articles a INDEXED BY articles_by_kind WHERE ${visibleSql(KIND_ARTICLE, now, A)}),
        -- Per tag, the first visible article decides: a probe per tag, not a join of every tag link.
        (SELECT count(*) FROM tags t WHERE EXISTS (SELECT 1 FROM article_tags at CROSS JOIN articles a ON a.id = at.article_id
          WHERE at.tag_id = t.id AND ${visibleSql(KIND_ARTICLE, now, A)})),
        (SELECT min(count(*), ${int(MAX_SITEMAP_PAGES)}) FROM articles a WHERE ${visibleSql(KIND_PAGE, now, A)}),
        ${nextScheduledSql(now)}),
      open(yes) AS MATERIALIZED (SELECT 1 FROM counts WHERE ${whole}),
      tags_open(yes) AS MATERIALIZED (SELECT 1 FROM open, counts WHERE ${int(slice.start + slice.count)} > 1 + visible)
    SELECT 0 AS section, NULL AS slug, NULL AS lm, visible, used, next, 0 AS k1, 0 AS k2 FROM counts
    UNION ALL
    SELECT * FROM (SELECT 1, a.slug, max(a.published_at, a.updated_at), 0, 0, NULL, -a.published_at, -a.id FROM open CROSS JOIN articles a
      WHERE ${visibleSql(KIND_ARTICLE, now, A)} ORDER BY a.published_at DESC, a.id DESC LIMIT ${int(slice.count)} OFFSET ${int(articleOffset)})
    UNION ALL
    SELECT * FROM (SELECT 2, t.slug, max(max(a.published_at, a.updated_at)), 0, 0, NULL, t.slug, 0
      FROM tags_open CROSS JOIN tags t JOIN article_tags at ON at.tag_id = t.id JOIN articles a ON a.id = at.article_id
      WHERE ${visibleSql(KIND_ARTICLE, now, A)} GROUP BY t.id ORDER BY t.slug
      LIMIT ${int(slice.count)} OFFSET max(0, ${int(articleOffset)} - (SELECT visible FROM counts)))
    UNION ALL
    SELECT * FROM (SELECT 3, a.slug, max(a.published_at, a.updated_at), 0, 0, NULL, a.slug, 0 FROM articles a
      WHERE ${visibleSql(KIND_PAGE, now, A)} ORDER BY a.slug LIMIT ${int(MAX_SITEMAP_PAGES)})
    ORDER BY section, k1, k2`);
  const counts = rows.find((r) => r.section === 0);
  const entries = (section: Row["section"]) => rows.filter((r) => r.section === section).map((r) => ({ slug: r.slug ?? "", lastModified: r.lm ?? 0 }));
  return {
    total: 1 + (counts?.visible ?? 0) + (counts?.used ?? 0),
    articles: entries(1),
    nextScheduledAt: counts?.next ?? null,
    tags: entries(2),
    pages: entries(3),
  };
}
