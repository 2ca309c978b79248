// Full-text search over what readers may see: published articles and pages.
// The index (search_index, FTS5 with trigram tokens) is kept in step with the
// articles table by triggers (migrations/0009_search.sql).
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { likePattern, type SearchQuery } from "./query";

/** Column weights for bm25: a match in the title counts most, then summary and tags, then the body. */
const WEIGHTS = sql.raw("10.0, 4.0, 4.0, 1.0");

export interface SearchHit {
  slug: string;
  title: string;
  summary: string | null;
  lang: "de" | "en";
  publishedAt: number;
  /** The body as plain text, to cut the snippet from. */
  body: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** All visible matches, for the pagination. */
  total: number;
}

type Row = SearchHit & { total: number };

function shortTermCondition(term: string): SQL {
  const pattern = likePattern(term);
  return sql`(search_index.title LIKE ${pattern} ESCAPE '\\' OR search_index.summary LIKE ${pattern} ESCAPE '\\' OR search_index.tags LIKE ${pattern} ESCAPE '\\' OR search_index.body LIKE ${pattern} ESCAPE '\\')`;
}

/** One page of hits, best first, among what is published at `now`. */
export async function searchPublished(db: Db, query: SearchQuery, opts: { now: number; limit: number; offset: number }): Promise<SearchPage> {
  const matches: SQL[] = query.shortTerms.map(shortTermCondition);
  if (query.match !== null) matches.unshift(sql`search_index MATCH ${query.match}`);
  // bm25 is only defined inside a MATCH query on the index itself, so ranking happens before the join.
  const rank = query.match !== null ? sql`bm25(search_index, ${WEIGHTS})` : sql`0`;
  const rows = await db.all<Row>(sql`
    WITH hits AS (SELECT rowid AS id, ${rank} AS rank FROM search_index WHERE ${sql.join(matches, sql` AND `)})
    SELECT a.slug AS slug, a.title AS title, a.summary AS summary, a.lang AS lang, a.published_at AS publishedAt,
           coalesce(a.body_text, a.body_md) AS body, count(*) OVER () AS total
    FROM hits JOIN articles a ON a.id = hits.id
    WHERE a.status = 'published' AND a.published_at <= ${opts.now}
    ORDER BY hits.rank, a.published_at DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`);
  return { hits: rows.map(({ total: _total, ...hit }) => hit), total: rows[0]?.total ?? 0 };
}
