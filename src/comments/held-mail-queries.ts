// SQL of the moderators' mail about held comments (comments.held_mail). No
// statement here binds a list of ids: the digest takes the comments waiting
// for it by marking them with its run, and everything after names the run.
import { and, asc, count, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles, COMMENT_PENDING, comments, type HeldMailState } from "../db/schema";
import { isMailDue } from "./mail-failures";

/** What the moderators were told of this comment, or null when nothing yet. */
export async function getHeldMailState(db: Db, id: string): Promise<HeldMailState | null> {
  const [row] = await db.select({ heldMail: comments.heldMail }).from(comments).where(eq(comments.id, id)).limit(1);
  return row?.heldMail ?? null;
}

/** Mails about single held comments sent after `since` (the digest's window). */
export async function countHeldMailsSince(db: Db, since: number): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(comments)
    .where(and(eq(comments.heldMail, "sent"), gt(comments.heldMailAt, since)));
  return row?.n ?? 0;
}

export async function setHeldMail(db: Db, id: string, state: HeldMailState, now: number): Promise<void> {
  await db.update(comments).set({ heldMail: state, heldMailAt: now }).where(eq(comments.id, id));
}

/** The article a mail names: its title and slug. */
export async function getArticleTitle(db: Db, articleId: number): Promise<{ title: string; slug: string } | null> {
  const [row] = await db.select({ title: articles.title, slug: articles.slug }).from(articles).where(eq(articles.id, articleId)).limit(1);
  return row ?? null;
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
