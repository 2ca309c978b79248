// SQL of the moderators' mail about held comments (comments.held_mail). The
// queue batch's lists of ids bind one parameter each (inJsonList); the digest
// takes the comments waiting for it by marking them with its run, and
// everything after names the run.
import { and, asc, count, eq, gt, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { inJsonList } from "../db/in-list";
import { articles, COMMENT_PENDING, comments, type HeldMailState } from "../db/schema";
import { isMailDue } from "./mail-failures";

export interface HeldMailFacts {
  /** What the moderators were told of each comment that has been (absent: nothing yet). */
  told: Map<string, HeldMailState>;
  /** Mails about single held comments sent after `since` (the digest's window). */
  sentSince: number;
  /** The articles the mails name (absent: gone). */
  articles: Map<number, { title: string; slug: string }>;
}

/** What deciding and writing the mails about a batch of held comments needs, in one round trip. */
export async function getHeldMailFacts(db: Db, q: { ids: string[]; articleIds: number[]; since: number }): Promise<HeldMailFacts> {
  const [told, [sent], found] = await db.batch([
    db
      .select({ id: comments.id, heldMail: comments.heldMail })
      .from(comments)
      .where(and(inJsonList(comments.id, q.ids), isNotNull(comments.heldMail))),
    db
      .select({ n: count() })
      .from(comments)
      .where(and(eq(comments.heldMail, "sent"), gt(comments.heldMailAt, q.since))),
    db.select({ id: articles.id, title: articles.title, slug: articles.slug }).from(articles).where(inJsonList(articles.id, q.articleIds)),
  ]);
  return {
    told: new Map(told.flatMap((r) => (r.heldMail === null ? [] : [[r.id, r.heldMail] as const]))),
    sentSince: sent?.n ?? 0,
    articles: new Map(found.map((a) => [a.id, { title: a.title, slug: a.slug }])),
  };
}

/** Records what the moderators were told of these comments: mailed one by one, or left for the digest; one round trip. */
export async function setHeldMail(db: Db, states: { sent: string[]; digest: string[] }, now: number): Promise<void> {
  const updates = (["sent", "digest"] as const)
    .filter((state) => states[state].length > 0)
    .map((state) => db.update(comments).set({ heldMail: state, heldMailAt: now }).where(inJsonList(comments.id, states[state])));
  const [first, ...rest] = updates;
  if (first) await db.batch([first, ...rest]);
}

/**
 * Takes every comment waiting for a digest for this run, except those whose
 * last digest failed and wait for their next try (or were given up). One
 * statement: what it took is fixed before anything is mailed.
 */
export async function takeDigestComments(db: Db, run: number, now: number): Promise<void> {
  await db
    .update(comments)
    .set({ heldDigestRun: run })
    .where(and(eq(comments.heldMail, "digest"), isMailDue(comments.id, "digest", now)));
}

const takenBy = (run: number) => and(eq(comments.heldMail, "digest"), eq(comments.heldDigestRun, run));
const takenPending = (run: number) => and(takenBy(run), eq(comments.status, COMMENT_PENDING));

/** Of what the run took, the comments still pending: the oldest `limit` with their article, and how many in all. */
export async function listTakenDigest(db: Db, run: number, limit: number) {
  const [rows, [total]] = await db.batch([
    db
      .select({ id: comments.id, author: comments.author, title: articles.title })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(takenPending(run))
      .orderBy(asc(comments.createdAt), asc(comments.id))
      .limit(limit),
    db.select({ n: count() }).from(comments).where(takenPending(run)),
  ]);
  return { rows, total: total?.n ?? 0 };
}

/** Marks what the run took as digested: listed, counted, or decided meanwhile, no digest needs them any more. */
export async function setDigested(db: Db, run: number, now: number): Promise<void> {
  await db.update(comments).set({ heldMail: "digested", heldMailAt: now }).where(takenBy(run));
}
