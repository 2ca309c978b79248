// The comment endpoint's reads and writes before a comment is queued: the
// facts it checks (in one round trip) and the record of what it accepted,
// which the flood, rate and duplicate checks read (comment_submissions).
import { eq } from "drizzle-orm";
import { visibleArticleRefQuery } from "../articles/queries";
import type { Db } from "../db/client";
import { type CommentStatus, commentSubmissions, type Language } from "../db/schema";
import { MAX_THREAD_DEPTH } from "./queries";

export interface SubmissionFacts {
  article: { id: number; lang: Language; comments: "open" | "closed" } | null;
  /** The parent comment, with its depth (1 = top level), or null when none was asked for or it is missing. */
  parent: { articleId: number; status: CommentStatus; depth: number } | null;
  /** Newest earlier submission from the same IP or e-mail, epoch ms. */
  lastFromSameSender: number | null;
  /** Submissions from this IP within the rate window, and when the oldest of them came. */
  recentFromIp: { count: number; oldest: number | null };
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
    floodSince: number;
    rateSince: number;
  },
): Promise<SubmissionFacts> {
  // Raw statements: drizzle's batch takes only its query builders, not raw SQL.
  const d1 = db.$client;
  // Comments are for visible articles; static pages take none.
  const target = visibleArticleRefQuery(db, q.slug, q.now).toSQL();
  const [article, parent, last, rate, dup] = await d1.batch<Record<string, unknown>>([
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
    d1
      .prepare(`SELECT max(created_at) AS last FROM comment_submissions WHERE created_at > ? AND (email_hash = ? OR ip_hash = ?)`)
      .bind(q.floodSince, q.emailHash, q.ipHash),
    d1.prepare(`SELECT count(*) AS count, min(created_at) AS oldest FROM comment_submissions WHERE ip_hash = ? AND created_at > ?`).bind(q.ipHash, q.rateSince),
    d1.prepare(`SELECT EXISTS (SELECT 1 FROM comment_submissions WHERE fingerprint = ?) AS dup`).bind(q.fingerprint),
  ]);
  const first = <T>(result: D1Result<Record<string, unknown>> | undefined) => result?.results[0] as T | undefined;
  const articleRow = first<SubmissionFacts["article"]>(article);
  const parentRow = first<SubmissionFacts["parent"]>(parent);
  const lastRow = first<{ last: number | null }>(last);
  const rateRow = first<{ count: number; oldest: number | null }>(rate);
  const dupRow = first<{ dup: number }>(dup);
  return {
    article: articleRow ? { id: articleRow.id, lang: articleRow.lang, comments: articleRow.comments } : null,
    parent: q.parentId ? (parentRow ?? null) : null,
    lastFromSameSender: lastRow?.last ?? null,
    recentFromIp: { count: rateRow?.count ?? 0, oldest: rateRow?.oldest ?? null },
    duplicate: (dupRow?.dup ?? 0) === 1,
  };
}

/** Records an accepted submission; false when the same comment was recorded already. */
export async function insertSubmission(db: Db, row: typeof commentSubmissions.$inferInsert): Promise<boolean> {
  const inserted = await db.insert(commentSubmissions).values(row).onConflictDoNothing().returning({ id: commentSubmissions.id });
  return inserted.length === 1;
}

/** Forgets a submission whose message never reached the queue, so the submitter can try again. */
export async function deleteSubmission(db: Db, id: string): Promise<void> {
  await db.delete(commentSubmissions).where(eq(commentSubmissions.id, id));
}
