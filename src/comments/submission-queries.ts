// The comment endpoint's reads and writes before a comment is queued: the
// facts it checks (in one round trip) and the record of what it accepted
// (comment_submissions), which flood control and the rate limit count as it
// is written, and the duplicate check reads.
import { and, count, eq, gt, max, min, ne, sql } from "drizzle-orm";
import { visibleArticleRefQuery } from "../articles/queries";
import type { Db } from "../db/client";
import { type CommentStatus, commentSubmissions, type Language } from "../db/schema";
import { MAX_THREAD_DEPTH } from "./queries";

export interface SubmissionFacts {
  article: { id: number; lang: Language; comments: "open" | "closed" } | null;
  /** The parent comment, with its depth (1 = top level), or null when none was asked for or it is missing. */
  parent: { articleId: number; status: CommentStatus; depth: number } | null;
  duplicate: boolean;
}

/** Everything the endpoint checks before queueing a comment, in one D1 round trip. */
export async function getSubmissionFacts(
  db: Db,
  q: {
    slug: string;
    parentId: string | null;
    ipHash: string | null;
    emailHash: string;
    fingerprint: string;
    now: number;
  },
): Promise<SubmissionFacts> {
  // Raw statements: drizzle's batch takes only its query builders, not raw SQL.
  const d1 = db.$client;
  // Comments are for visible articles; static pages take none.
  const target = visibleArticleRefQuery(db, q.slug, q.now).toSQL();
  const [article, parent, dup] = await d1.batch<Record<string, unknown>>([
    d1.prepare(target.sql).bind(...target.params),
    d1
      .prepare(
        `WITH RECURSIVE chain(id, parent_id, depth) AS (
           SELECT id, parent_id, 1 FROM comments WHERE id = ?1
           UNION ALL
           SELECT c.id, c.parent_id, chain.depth + 1 FROM comments c JOIN chain ON c.id = chain.parent_id
           WHERE chain.depth <= ?2)
         SELECT c.article_id AS articleId, c.status AS status, (SELECT max(depth) FROM chain) AS depth
         FROM comments c WHERE c.id = ?1`,
      )
      .bind(q.parentId ?? "", MAX_THREAD_DEPTH),
    d1.prepare(`SELECT EXISTS (SELECT 1 FROM comment_submissions WHERE fingerprint = ?) AS dup`).bind(q.fingerprint),
  ]);
  const first = <T>(result: D1Result<Record<string, unknown>> | undefined) => result?.results[0] as T | undefined;
  const articleRow = first<SubmissionFacts["article"]>(article);
  const parentRow = first<SubmissionFacts["parent"]>(parent);
  const dupRow = first<{ dup: number }>(dup);
  return {
    article: articleRow ? { id: articleRow.id, lang: articleRow.lang, comments: articleRow.comments } : null,
    parent: q.parentId ? (parentRow ?? null) : null,
    duplicate: (dupRow?.dup ?? 0) === 1,
  };
}

export interface SubmissionLimits {
  /** Flood control: a submission from the same IP or e-mail after this (epoch ms) refuses it; null: off. */
  floodSince: number | null;
  /** The rate limit: `max` submissions from the same IP after `since` refuse it; null: off. */
  rate: { since: number; max: number } | null;
}

export interface RecordedSubmission {
  recorded: boolean;
  /** What the limits counted besides this submission: the newest from the same sender within the flood interval (epoch ms, or null) … */
  lastFromSameSender: number | null;
  /** … and those from the same IP within the rate window, with the time of the oldest. */
  recentFromIp: { count: number; oldest: number | null };
}

const subs = commentSubmissions;

/**
 * Records an accepted submission unless a limit refuses it, checking and
 * counting in one statement: concurrent submissions cannot all pass a check
 * made before any of them was recorded. Among the submissions recorded so far
 * it counts, for flood control, those from the same IP hash or e-mail hash
 * after `floodSince` (one refuses), and for the rate limit those from the same
 * IP hash after `rate.since` (`rate.max` refuse); the same fingerprint (the
 * same comment again) refuses it as well. Batched after it, in the same
 * transaction, what the limits saw, so the caller can say which refused and
 * until when.
 */
export async function recordSubmission(db: Db, row: typeof subs.$inferInsert, limits: SubmissionLimits): Promise<RecordedSubmission> {
  const ipHash = row.ipHash ?? null;
  const sameSender = sql`(${subs.emailHash} = ${row.emailHash} OR ${subs.ipHash} = ${ipHash})`;
  const floodSince = limits.floodSince ?? row.createdAt;
  const rateSince = limits.rate?.since ?? row.createdAt;
  const noFlood = limits.floodSince === null ? sql`1` : sql`NOT EXISTS (SELECT 1 FROM ${subs} WHERE ${subs.createdAt} > ${floodSince} AND ${sameSender})`;
  const underRate =
    limits.rate === null || ipHash === null
      ? sql`1`
      : sql`(SELECT count(*) FROM ${subs} WHERE ${subs.ipHash} = ${ipHash} AND ${subs.createdAt} > ${rateSince}) < ${limits.rate.max}`;
  const others = ne(subs.id, row.id);
  const [inserted, [last], [recent]] = await db.batch([
    db
      .insert(subs)
      .select(sql`SELECT ${row.id}, ${row.articleId}, ${ipHash}, ${row.emailHash}, ${row.fingerprint}, ${row.createdAt} WHERE ${noFlood} AND ${underRate}`)
      .onConflictDoNothing()
      .returning({ id: subs.id }),
    db
      .select({ at: max(subs.createdAt) })
      .from(subs)
      .where(and(gt(subs.createdAt, floodSince), sameSender, others)),
    db
      .select({ n: count(), oldest: min(subs.createdAt) })
      .from(subs)
      .where(and(sql`${subs.ipHash} = ${ipHash}`, gt(subs.createdAt, rateSince), others)),
  ]);
  return {
    recorded: inserted.length === 1,
    lastFromSameSender: last?.at ?? null,
    recentFromIp: { count: recent?.n ?? 0, oldest: recent?.oldest ?? null },
  };
}

/** Forgets a submission whose message never reached the queue, so the submitter can try again. */
export async function deleteSubmission(db: Db, id: string): Promise<void> {
  await db.delete(commentSubmissions).where(eq(commentSubmissions.id, id));
}
