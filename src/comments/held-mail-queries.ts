// SQL of the moderators' mail about held comments (comments.held_mail).
import { and, asc, count, eq, gt, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles, COMMENT_PENDING, comments, type HeldMailState } from "../db/schema";

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

export async function setHeldMail(db: Db, ids: string[], state: HeldMailState, now: number): Promise<void> {
  if (ids.length > 0) await db.update(comments).set({ heldMail: state, heldMailAt: now }).where(inArray(comments.id, ids));
}

/** The article a mail names: its title and slug. */
export async function getArticleTitle(db: Db, articleId: number): Promise<{ title: string; slug: string } | null> {
  const [row] = await db.select({ title: articles.title, slug: articles.slug }).from(articles).where(eq(articles.id, articleId)).limit(1);
  return row ?? null;
}

/** Held comments waiting for the digest (at most `limit`, oldest first), with their article. */
export function listDigestComments(db: Db, limit: number) {
  return db
    .select({ id: comments.id, author: comments.author, status: comments.status, createdAt: comments.createdAt, title: articles.title })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(eq(comments.heldMail, "digest"))
    .orderBy(asc(comments.createdAt))
    .limit(limit);
}

export const isStillPending = (row: { status: string }) => row.status === COMMENT_PENDING;
