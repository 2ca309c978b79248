// Full-text search over what readers may see: published articles and pages.
// The index (search_index, FTS5 with trigram tokens) is kept in step with the
// articles table by triggers (migrations/0009_search.sql).
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { ARTICLE_PUBLISHED, type ArticleKind } from "../db/schema";
import { UnavailableError } from "../lib/errors";
import { likePattern, type SearchQuery } from "./query";

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
  /** All visible matches, for the pagination. */
  total: number;
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
  // bm25 is only defined inside a MATCH query on the index itself, so ranking happens before the join.
  const rank = query.match !== null ? sql`bm25(search_index, ${WEIGHTS})` : sql`0`;
  const rows = await db.all<Row>(sql`
    WITH hits AS (SELECT rowid AS id, ${rank} AS rank FROM search_index WHERE ${sql.join(matches, sql` AND `)})
    SELECT a.slug AS slug, a.kind AS kind, a.title AS title, a.summary AS summary, a.lang AS lang, a.published_at AS publishedAt,
           coalesce(a.body_text, a.body_md) AS body, count(*) OVER () AS total,
           (SELECT min(published_at) FROM articles WHERE status = ${ARTICLE_PUBLISHED} AND published_at > ${opts.now}) AS nextScheduled
    FROM hits JOIN articles a ON a.id = hits.id
    WHERE a.status = 'published' AND a.published_at <= ${opts.now}
    ORDER BY hits.rank, a.published_at DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`);
  return {
    hits: rows.map(({ total: _total, nextScheduled: _next, ...hit }) => hit),
    total: rows[0]?.total ?? 0,
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}
