// SQL of the commenters' mail: who asked to hear of an approval or a reply,
// and what was sent (comments.approval_mail_at, reply_mail_at).
import { and, eq, inArray, isNull, type SQL } from "drizzle-orm";
import { alias } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { articles, COMMENT_APPROVED, comments } from "../db/schema";

/** At most this many mails of each kind per call; the cron sends what is left. */
const MAIL_BATCH = 25;

const within = (column: typeof comments.id, ids: string[] | null): SQL | undefined => (ids ? inArray(column, ids) : undefined);

/** Approved comments whose authors asked for mail and were not told yet. */
export function listApprovalMails(db: Db, ids: string[] | null) {
  return db
    .select({
      id: comments.id,
      author: comments.author,
      email: comments.email,
      text: comments.bodyRaw,
      title: articles.title,
      slug: articles.slug,
      lang: articles.lang,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(and(eq(comments.status, COMMENT_APPROVED), eq(comments.notifyReplies, true), isNull(comments.approvalMailAt), within(comments.id, ids)))
    .limit(MAIL_BATCH);
}

const parent = alias(comments, "parent");

/** Approved replies to approved comments whose authors asked for mail, not yet told. */
export function listReplyMails(db: Db, ids: string[] | null) {
  return db
    .select({
      id: comments.id,
      replier: comments.author,
      replierEmail: comments.email,
      text: comments.bodyRaw,
      parentId: parent.id,
      author: parent.author,
      email: parent.email,
      title: articles.title,
      slug: articles.slug,
      lang: articles.lang,
    })
    .from(comments)
    .innerJoin(parent, eq(parent.id, comments.parentId))
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        eq(comments.status, COMMENT_APPROVED),
        isNull(comments.replyMailAt),
        eq(parent.status, COMMENT_APPROVED),
        eq(parent.notifyReplies, true),
        within(comments.id, ids),
      ),
    )
    .limit(MAIL_BATCH);
}

export async function setApprovalMailed(db: Db, id: string, now: number): Promise<void> {
  await db.update(comments).set({ approvalMailAt: now }).where(eq(comments.id, id));
}

export async function setReplyMailed(db: Db, id: string, now: number): Promise<void> {
  await db.update(comments).set({ replyMailAt: now }).where(eq(comments.id, id));
}

/** Stops all mail about this comment; false when there is no such comment. */
export async function unsubscribeComment(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(comments).set({ notifyReplies: false }).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length > 0;
}
