// Full-text search over what readers may see: published articles and pages.
// The index (search_index, FTS5 with trigram tokens) is kept in step with the
// articles table by triggers (migrations/0009_search.sql).
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ARTICLE_PUBLISHED, type ArticleKind } from "../db/schema";
import { UnavailableError } from "../lib/errors";
import { likePattern, type SearchQuery } from "./query";

/**
 * At most this many visible matches are ranked, the newest (by id) of them:
 * ranking and counting every match of a common word would grow with the blog
 * (no answer within 3 s on 10,000 articles). Deeper than this nobody pages
 * (MAX_SEARCH_PAGE pages of SEARCH_PAGE_SIZE); more are reported as "more than".
 */
export const MAX_RANKED_HITS = 500;

/** Column weights for bm25: a match in the title counts most, then summary and tags, then the body. */
const WEIGHTS = sql.raw("10.0, 4.0, 4.0, 1.0");

export interface SearchHit {
  slug: string;
  /** An article (/articles/<slug>) or a page (/<slug>). */
  kind: ArticleKind;
  title: string;
  summary: string | null;
  lang: "de" | "en";
  publishedAt: number;
  /** The body as plain text, to cut the snippet from. */
  body: string;
}

export interface SearchPage {
  hits: SearchHit[];
  /** The visible matches that are ranked (at most MAX_RANKED_HITS), for the pagination. */
  total: number;
  /** More than MAX_RANKED_HITS visible matches: only the newest of them are ranked and shown. */
  more: boolean;
  /** When the next scheduled article or page becomes visible (epoch ms), or null; only known when there are hits. */
  nextScheduledAt: number | null;
}

type Row = SearchHit & { total: number; nextScheduled: number | null };

function shortTermCondition(term: string): SQL {
  const pattern = likePattern(term);
  return sql`(search_index.title LIKE ${pattern} ESCAPE '\\' OR search_index.summary LIKE ${pattern} ESCAPE '\\' OR search_index.tags LIKE ${pattern} ESCAPE '\\' OR search_index.body LIKE ${pattern} ESCAPE '\\')`;
}

/** The index is missing only while `npm run backup` drops and rebuilds it around an export. */
function isIndexMissing(err: unknown): boolean {
  const messages = [err instanceof Error ? err.message : "", err instanceof Error && err.cause instanceof Error ? err.cause.message : ""];
  return messages.some((m) => m.includes("no such table: search_index"));
}

/** One page of hits, best first, among what is published at `now`; UnavailableError while the index is being rebuilt. */
export async function searchPublished(db: Db, query: SearchQuery, opts: { now: number; limit: number; offset: number }): Promise<SearchPage> {
  try {
    return await runSearch(db, query, opts);
  } catch (err) {
    if (isIndexMissing(err)) throw new UnavailableError("the search index is being rebuilt", 60);
    throw err;
  }
}

async function runSearch(db: Db, query: SearchQuery, opts: { now: number; limit: number; offset: number }): Promise<SearchPage> {
  const matches: SQL[] = query.shortTerms.map(shortTermCondition);
  if (query.match !== null) matches.unshift(sql`search_index MATCH ${query.match}`);
  const where = sql.join(matches, sql` AND `);
  // bm25 is only defined inside a MATCH query on the index itself, so ranking happens before the join;
  // over the candidates' rowid range only (FTS5 reads a rowid range without the rest of the doclist).
  const ranked =
    query.match !== null
      ? sql`SELECT rowid AS id, bm25(search_index, ${WEIGHTS}) AS rank FROM search_index WHERE ${where} AND rowid >= (SELECT min(id) FROM candidates)`
      : sql`SELECT id, 0 AS rank FROM candidates`;
  const rows = await db.all<Row>(sql`
    WITH candidates(id) AS MATERIALIZED (
      -- The newest visible matches, one more than are ranked (to tell "more"). CROSS JOIN keeps the index outside,
      -- so it is read newest first and stops there, never one MATCH per article.
      SELECT search_index.rowid FROM search_index CROSS JOIN articles a ON a.id = search_index.rowid
      WHERE ${where} AND a.status = ${ARTICLE_PUBLISHED} AND a.published_at <= ${opts.now}
      ORDER BY search_index.rowid DESC LIMIT ${sql.raw(String(MAX_RANKED_HITS + 1))}),
    -- MATERIALIZED: one MATCH over the candidates' range, not one per candidate id.
    ranked(id, rank) AS MATERIALIZED (${ranked}),
    hits AS (SELECT id, rank FROM ranked WHERE id IN (SELECT id FROM candidates) ORDER BY id DESC LIMIT ${sql.raw(String(MAX_RANKED_HITS))})
    SELECT a.slug AS slug, a.kind AS kind, a.title AS title, a.summary AS summary, a.lang AS lang, a.published_at AS publishedAt,
           coalesce(a.body_text, a.body_md) AS body, (SELECT count(*) FROM candidates) AS total,
           (SELECT min(published_at) FROM articles WHERE status = ${ARTICLE_PUBLISHED} AND published_at > ${opts.now}) AS nextScheduled
    FROM hits CROSS JOIN articles a ON a.id = hits.id
    ORDER BY hits.rank, a.published_at DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`);
  const total = rows[0]?.total ?? 0;
  return {
    hits: rows.map(({ total: _total, nextScheduled: _next, ...hit }) => hit),
    total: Math.min(total, MAX_RANKED_HITS),
    more: total > MAX_RANKED_HITS,
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}
