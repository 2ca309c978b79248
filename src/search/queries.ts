// Full-text search over what readers may see: published articles and pages.
// The index (search_index, FTS5 with trigram tokens) is kept in step with the
// articles table by triggers (migrations/0009_search.sql).
import { type SQL, sql } from "drizzle-orm";
import { renderStaleBodies } from "../articles/render";
import { nextScheduledSql, visibleSql } from "../articles/visibility";
import type { Db } from "../db/client";
import type { ArticleKind } from "../db/schema";
import { UnavailableError } from "../lib/errors";
import { htmlToPlainText } from "../lib/html";
import { likePattern, type SearchQuery } from "./query";

/**
 * At most this many visible matches are ranked, the newest (by id: the order
 * articles were added) of them: ranking and counting every match of a common
 * word grows with the blog (no answer within 3 s on 10,000 articles; 500 still
 * cost twice a small blog's search). The pages reach this far
 * (MAX_SEARCH_PAGE of SEARCH_PAGE_SIZE); more are reported as "more than".
 */
export const MAX_RANKED_HITS = 100;

/** Column weights for bm25: a match in the title counts most, then summary and tags, then the body. */
const WEIGHTS = sql.raw("10.0, 4.0, 4.0, 1.0");

interface SearchHit {
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

/** A hit as the query reads it: with what tells whether its stored plain text is current (src/articles/render.ts). */
type Row = SearchHit & { id: number; bodyMd: string; htmlVersion: string | null; hasText: number; total: number; nextScheduled: number | null };

function shortTermCondition(term: string): SQL {
  const pattern = likePattern(term);
  return sql`(search_index.title LIKE ${pattern} ESCAPE '\\' OR search_index.summary LIKE ${pattern} ESCAPE '\\' OR search_index.tags LIKE ${pattern} ESCAPE '\\' OR search_index.body LIKE ${pattern} ESCAPE '\\')`;
}

/** The index is missing only while `npm run backup` drops and rebuilds it around an export. */
function isIndexMissing(err: unknown): boolean {
  const messages = [err instanceof Error ? err.message : "", err instanceof Error && err.cause instanceof Error ? err.cause.message : ""];
  return messages.some((m) => /no such table: (?:search_index|comment_search)\b/.test(m));
}

/**
 * One page of hits, best first, among what is published at `now`, and with `comments` the newest approved
 * comments that match (sent alongside); UnavailableError while an index is being rebuilt.
 */
export async function searchPublished(
  db: Db,
  query: SearchQuery,
  opts: { now: number; limit: number; offset: number; comments?: boolean },
): Promise<SearchPage & { comments: CommentHit[] }> {
  try {
    return await runSearch(db, query, opts);
  } catch (err) {
    if (isIndexMissing(err)) throw new UnavailableError("the search index is being rebuilt", 60);
    throw err;
  }
}

const CAP = sql.raw(String(MAX_RANKED_HITS));
/** The candidates' rowid range: FTS5 reads a rowid range of a doclist without the rest of it. */
const IN_RANGE = sql`rowid >= (SELECT min(id) FROM candidates)`;

/**
 * Each candidate's rank, lower first. Up to MAX_RANKED_HITS matches: bm25 (it
 * counts each term's documents in the whole index, once per query). Past it (a
 * common word, whose bm25 weight is near nothing anyway): the columns that
 * match, title first, found by one MATCH per column group over the candidates'
 * range. Each branch starts from a gate, a table of one row or none: SQLite
 * would check a condition on the candidate count only after opening the index.
 */
function rankSql(query: SearchQuery, where: SQL): SQL {
  if (query.match === null) return sql`SELECT id, 0 FROM candidates`;
  const inColumns = (columns: string) => sql`(SELECT rowid FROM search_index WHERE search_index MATCH ${`{${columns}} : (${query.match})`} AND ${IN_RANGE})`;
  return sql`SELECT search_index.rowid, bm25(search_index, ${WEIGHTS}) FROM few CROSS JOIN search_index WHERE ${where} AND ${IN_RANGE}
    UNION ALL
    SELECT id, -(10 * (id IN ${inColumns("title")}) + 4 * (id IN ${inColumns("summary tags")})) FROM many CROSS JOIN candidates`;
}

/**
 * The one statement a search runs. Its bound parameters grow with the terms
 * (each short term binds four LIKE patterns wherever the conditions appear), so MAX_TERMS keeps it
 * inside D1's 100 per statement (test/search/queries.test.ts counts them).
 */
export function buildSearchSql(query: SearchQuery, opts: { now: number; limit: number; offset: number }): SQL {
  const matches: SQL[] = query.shortTerms.map(shortTermCondition);
  if (query.match !== null) matches.unshift(sql`search_index MATCH ${query.match}`);
  const where = sql.join(matches, sql` AND `);
  // bm25 is only defined inside a MATCH query on the index itself, so ranking happens before the join.
  return sql`
    WITH candidates(id) AS MATERIALIZED (
      -- The newest visible matches, one more than are ranked (to tell "more"). CROSS JOIN keeps the index outside,
      -- so it is read newest first and stops there, never one MATCH per article.
      SELECT search_index.rowid FROM search_index CROSS JOIN articles a ON a.id = search_index.rowid
      WHERE ${where} AND ${visibleSql("any", opts.now, { alias: "a" })}
      ORDER BY search_index.rowid DESC LIMIT ${sql.raw(String(MAX_RANKED_HITS + 1))}),
    few(open) AS MATERIALIZED (SELECT 1 WHERE (SELECT count(*) FROM candidates) <= ${CAP}),
    many(open) AS MATERIALIZED (SELECT 1 WHERE (SELECT count(*) FROM candidates) > ${CAP}),
    -- MATERIALIZED: one MATCH over the candidates' range, not one per candidate id.
    ranked(id, rank) AS MATERIALIZED (${rankSql(query, where)}),
    hits AS (SELECT id, rank FROM ranked WHERE id IN (SELECT id FROM candidates) ORDER BY id DESC LIMIT ${CAP})
    SELECT a.slug AS slug, a.kind AS kind, a.title AS title, a.summary AS summary, a.lang AS lang, a.published_at AS publishedAt,
           coalesce(a.body_text, a.body_md) AS body, a.id AS id, a.body_md AS bodyMd, a.html_version AS htmlVersion,
           (a.body_text IS NOT NULL) AS hasText, (SELECT count(*) FROM candidates) AS total,
           ${nextScheduledSql(opts.now, "any")} AS nextScheduled
    FROM hits CROSS JOIN articles a ON a.id = hits.id
    ORDER BY hits.rank, a.published_at DESC
    LIMIT ${opts.limit} OFFSET ${opts.offset}`;
}

async function runSearch(
  db: Db,
  query: SearchQuery,
  opts: { now: number; limit: number; offset: number; comments?: boolean },
): Promise<SearchPage & { comments: CommentHit[] }> {
  // Two statements sent at once (drizzle's batch takes no raw SQL): the articles, and on the first page the comments.
  const [rows, commentRows] = await Promise.all([
    db.all<Row>(buildSearchSql(query, opts)),
    opts.comments ? db.all<CommentHit>(buildCommentSearchSql(query, opts.now)) : Promise.resolve([]),
  ]);
  const total = rows[0]?.total ?? 0;
  // A hit whose plain text is missing or stale (a row not written by publish) is rendered, and stored, for its snippet.
  const bodies = rows.map((row) => ({ ...row, hasStored: row.hasText === 1 }));
  const rendered = await renderStaleBodies(db, bodies);
  return {
    hits: rows.map(({ id, slug, kind, title, summary, lang, publishedAt, body }) => ({
      slug,
      kind,
      title,
      summary,
      lang,
      publishedAt,
      body: rendered.get(id)?.text ?? body,
    })),
    comments: commentRows.map((row) => ({ ...row, body: htmlToPlainText(row.body) })),
    total: Math.min(total, MAX_RANKED_HITS),
    more: total > MAX_RANKED_HITS,
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}

/** Approved comments shown with the first page of hits, newest first. */
const MAX_COMMENT_HITS = 5;

export interface CommentHit {
  id: string;
  author: string;
  /** The comment as plain text, to cut the snippet from. */
  body: string;
  createdAt: number;
  articleTitle: string;
}

function shortTermInComments(term: string): SQL {
  const pattern = likePattern(term);
  return sql`(comment_search.author LIKE ${pattern} ESCAPE '\\' OR comment_search.body LIKE ${pattern} ESCAPE '\\')`;
}

/** The statement that finds approved comments under visible articles; its own index (migrations/0031_comment_search.sql). */
function buildCommentSearchSql(query: SearchQuery, now: number): SQL {
  const matches: SQL[] = query.shortTerms.map(shortTermInComments);
  if (query.match !== null) matches.unshift(sql`comment_search MATCH ${query.match}`);
  // CROSS JOIN keeps the index outside: newest first, stopping at the limit.
  return sql`
    SELECT c.id AS id, c.author AS author, c.body_html AS body, c.created_at AS createdAt, a.title AS articleTitle
    FROM comment_search CROSS JOIN comments c ON c.rowid = comment_search.rowid CROSS JOIN articles a ON a.id = c.article_id
    WHERE ${sql.join(matches, sql` AND `)} AND c.status = 'approved' AND ${visibleSql("any", now, { alias: "a" })}
    ORDER BY comment_search.rowid DESC LIMIT ${sql.raw(String(MAX_COMMENT_HITS))}`;
}
