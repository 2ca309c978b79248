// SQL of the commenters' mail: who asked (and confirmed) to hear of an
// approval or a reply, what was sent (comments.confirm_mail_at,
// approval_mail_at, reply_mail_at), and what waits after a failed try (see
// mail-failures.ts). Each list is due mail only, oldest first.
import { and, asc, eq, gte, isNotNull, isNull, lt, notExists, or, type SQL, sql } from "drizzle-orm";
import { alias, type SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { inJsonList } from "../db/in-list";
import { articles, COMMENT_APPROVED, COMMENT_PENDING, type CommentStatus, comments } from "../db/schema";
import { isMailDue } from "./mail-failures";
import { MAIL_LINK_DAYS } from "./mail-links";

/**
 * At most this many mails of each kind per call; the cron sends what is left.
 * What a list sent is recorded in one write, and only a failed mail costs one
 * more (its failure record), so a cron run (digest, then three kinds) stays
 * well within the Free plan's 50 queries an invocation.
 */
const MAIL_BATCH = 10;

const within = (column: typeof comments.id, ids: string[] | null): SQL | undefined => (ids ? inJsonList(column, ids) : undefined);

// The status as a filter only, never the index a list starts from (the unary
// "+" tells SQLite so): a list after a moderation starts from its few ids,
// the cron's from the partial index of mail still open (migrations/0017),
// either far fewer rows than all approved comments.
const statusIn = (column: SQLiteColumn, ...statuses: CommentStatus[]): SQL =>
  sql`+${column} IN (${sql.join(
    statuses.map((st) => sql`${st}`),
    sql`, `,
  )})`;

// Written out, not bound: the partial indexes of open mail (migrations/0017) say "notify_replies = 1".
const subscribed = (column: SQLiteColumn): SQL => sql`${column} = 1`;

/** Comments whose authors ticked "notify me" and were not yet asked to confirm; none for spam or trash. */
export function listConfirmMails(db: Db, ids: string[] | null, now: number) {
  return db
    .select({ id: comments.id, email: comments.email, title: articles.title, lang: articles.lang })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(
      and(
        subscribed(comments.notifyReplies),
        isNull(comments.notifyConfirmedAt),
        isNull(comments.confirmMailAt),
        statusIn(comments.status, COMMENT_PENDING, COMMENT_APPROVED),
        isMailDue(comments.id, "confirm", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

/** Approved comments whose authors asked for mail, confirmed, and were not told yet. */
export function listApprovalMails(db: Db, ids: string[] | null, now: number) {
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
    .where(
      and(
        isNull(comments.approvalMailAt),
        statusIn(comments.status, COMMENT_APPROVED),
        subscribed(comments.notifyReplies),
        isNotNull(comments.notifyConfirmedAt),
        isMailDue(comments.id, "approval", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

const parent = alias(comments, "parent");

/** Approved replies to approved comments whose authors asked for mail and confirmed, not yet told. */
export function listReplyMails(db: Db, ids: string[] | null, now: number) {
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
        isNotNull(comments.parentId),
        isNull(comments.replyMailAt),
        statusIn(comments.status, COMMENT_APPROVED),
        statusIn(parent.status, COMMENT_APPROVED),
        subscribed(parent.notifyReplies),
        isNotNull(parent.notifyConfirmedAt),
        isMailDue(comments.id, "reply", now),
        within(comments.id, ids),
      ),
    )
    .orderBy(asc(comments.createdAt))
    .limit(MAIL_BATCH);
}

const mailedColumn = { confirm: "confirmMailAt", approval: "approvalMailAt", reply: "replyMailAt" } as const;

/** Records mail of one kind as sent (or as nothing to send) for these comments, in one statement. */
export async function setMailed(db: Db, kind: keyof typeof mailedColumn, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .update(comments)
    .set({ [mailedColumn[kind]]: now })
    .where(inJsonList(comments.id, ids));
}

const DAY_MS = 86_400_000;
const asked = alias(comments, "asked");

/**
 * Closes the commenters' mail that can no longer fall due, so that the
 * indexes of open mail (migrations/0017), which the lists above read from end
 * to end, hold only what may still go out: a reply to a comment whose author
 * does not want mail (notify_replies = 0 is final: nothing sets it back), or
 * asked and never confirmed before the confirmation link expired; and the
 * approval mail of such a subscription. Both in one round trip.
 */
export async function closeUndeliverableMail(db: Db, now: number): Promise<void> {
  const linkExpired = lt(comments.confirmMailAt, now - MAIL_LINK_DAYS.confirm * DAY_MS);
  const parentMayHear = db
    .select({ one: sql`1` })
    .from(asked)
    .where(
      and(
        eq(asked.id, comments.parentId),
        subscribed(asked.notifyReplies),
        or(isNotNull(asked.notifyConfirmedAt), isNull(asked.confirmMailAt), gte(asked.confirmMailAt, now - MAIL_LINK_DAYS.confirm * DAY_MS)),
      ),
    );
  await db.batch([
    db
      .update(comments)
      .set({ replyMailAt: now })
      .where(and(isNotNull(comments.parentId), isNull(comments.replyMailAt), notExists(parentMayHear))),
    db
      .update(comments)
      .set({ approvalMailAt: now })
      .where(and(subscribed(comments.notifyReplies), isNull(comments.approvalMailAt), isNull(comments.notifyConfirmedAt), linkExpired)),
  ]);
}

/**
 * Confirms the subscription of this comment (its author followed the link in
 * the confirmation mail); again is fine. False when there is none: the
 * comment is gone or its author unsubscribed.
 */
export async function confirmSubscription(db: Db, id: string, now: number): Promise<boolean> {
  const rows = await db
    .update(comments)
    .set({ notifyConfirmedAt: sql`coalesce(${comments.notifyConfirmedAt}, ${now})` })
    .where(and(eq(comments.id, id), eq(comments.notifyReplies, true)))
    .returning({ id: comments.id });
  return rows.length > 0;
}

/** Stops all mail about this comment; false when there is no such comment. */
export async function unsubscribeComment(db: Db, id: string): Promise<boolean> {
  const rows = await db.update(comments).set({ notifyReplies: false }).where(eq(comments.id, id)).returning({ id: comments.id });
  return rows.length > 0;
}
