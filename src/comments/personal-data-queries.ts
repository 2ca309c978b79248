// SQL of a commenter's own data (Art. 15 and 17 DSGVO): what is stored under
// one address (comments of any status, their mail subscriptions, flood
// records, messages the queue could not store), its erasure as one batch, the
// log of requests answered (data_request_log), and the throttle of link
// requests (data_link_requests). Comments are matched by lower(email), as the
// comments_by_email index has it, and every statement is set-based: an
// address with a thousand comments binds as few parameters as one with one.
import { and, asc, desc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import {
  articles,
  type CommentStatus,
  commentSubmissions,
  comments,
  type DataRequestChannel,
  dataLinkRequests,
  dataRequestLog,
  failedMessages,
} from "../db/schema";

/** The requests for a link one address, and one client, may make within LINK_REQUEST_WINDOW_MS. */
export const LINK_REQUEST_LIMITS = { perAddress: 3, perClient: 10 } as const;
const LINK_REQUEST_WINDOW_MS = 3_600_000;

/** What was counted when a link request was refused: seconds until the one that refused frees a place. */
export type LinkRequestRecord = { recorded: true } | { recorded: false; retryAfterSeconds: number };

/**
 * Records a request for a link unless the address or the client already made
 * their limit within the window, checking and counting in one statement
 * (concurrent requests cannot all pass a check made before any was recorded).
 * Batched after it, in the same transaction, the oldest request each limit
 * counted, so a refusal can say when to try again.
 */
export async function recordLinkRequest(db: Db, row: { emailHash: string; clientHash: string | null; now: number }): Promise<LinkRequestRecord> {
  const since = row.now - LINK_REQUEST_WINDOW_MS;
  const r = dataLinkRequests;
  const inWindow = sql`${r.createdAt} > ${since}`;
  const clientCheck =
    row.clientHash === null
      ? sql`1`
      : sql`(SELECT count(*) FROM ${r} WHERE ${r.clientHash} = ${row.clientHash} AND ${inWindow}) < ${LINK_REQUEST_LIMITS.perClient}`;
  const [inserted, byAddress, byClient] = await db.batch([
    db
      .insert(r)
      .select(
        sql`SELECT NULL, ${row.emailHash}, ${row.clientHash}, ${row.now}
            WHERE (SELECT count(*) FROM ${r} WHERE ${r.emailHash} = ${row.emailHash} AND ${inWindow}) < ${LINK_REQUEST_LIMITS.perAddress} AND ${clientCheck}`,
      )
      .returning({ id: r.id }),
    oldestInWindow(db, sql`${r.emailHash} = ${row.emailHash}`, since, LINK_REQUEST_LIMITS.perAddress),
    oldestInWindow(db, sql`${r.clientHash} = ${row.clientHash}`, since, LINK_REQUEST_LIMITS.perClient),
  ]);
  if (inserted.length === 1) return { recorded: true };
  // The limit that refused frees a place when the oldest request it counted leaves the window.
  const frees = [byAddress[0]?.at, byClient[0]?.at].filter((at): at is number => typeof at === "number");
  const at = frees.length > 0 ? Math.max(...frees) : row.now;
  return { recorded: false, retryAfterSeconds: Math.max(1, Math.ceil((at + LINK_REQUEST_WINDOW_MS - row.now) / 1000)) };
}

/** The request whose leaving the window lets the next one through: the `limit`-th newest in it (none when fewer). */
function oldestInWindow(db: Db, match: ReturnType<typeof sql>, since: number, limit: number) {
  return db
    .select({ at: dataLinkRequests.createdAt })
    .from(dataLinkRequests)
    .where(and(match, sql`${dataLinkRequests.createdAt} > ${since}`))
    .orderBy(desc(dataLinkRequests.createdAt))
    .limit(1)
    .offset(limit - 1);
}

/** A reader's own comments are theirs; the editor's replies (by_editor) are the site's, never matched. */
const byAddress = (email: string) => and(sql`lower(${comments.email}) = ${email}`, eq(comments.byEditor, false));

/** Whether any comment is stored under the address (of any status). */
export async function hasCommentsByEmail(db: Db, email: string): Promise<boolean> {
  const [row] = await db.select({ id: comments.id }).from(comments).where(byAddress(email)).limit(1);
  return row !== undefined;
}

export interface StoredComment {
  id: string;
  parentId: string | null;
  status: CommentStatus;
  author: string;
  email: string;
  url: string | null;
  bodyRaw: string;
  ipHash: string | null;
  userAgent: string | null;
  createdAt: number;
  decidedAt: number | null;
  notifyReplies: boolean;
  notifyConfirmedAt: number | null;
  article: { slug: string; title: string; lang: "de" | "en"; visible: boolean };
}

/** Everything stored under the address, oldest first: the comments with their articles, flood records, unstored messages. */
export async function listStoredData(db: Db, email: string, emailHash: string) {
  const [rows, submissions, failed] = await db.batch([
    db
      .select({
        id: comments.id,
        parentId: comments.parentId,
        status: comments.status,
        author: comments.author,
        email: comments.email,
        url: comments.url,
        bodyRaw: comments.bodyRaw,
        ipHash: comments.ipHash,
        userAgent: comments.userAgent,
        createdAt: comments.createdAt,
        decidedAt: comments.decidedAt,
        notifyReplies: comments.notifyReplies,
        notifyConfirmedAt: comments.notifyConfirmedAt,
        slug: articles.slug,
        title: articles.title,
        lang: articles.lang,
        // Aliased: D1 names result columns, and the comment's own status has the same name.
        articleStatus: sql<string>`${articles.status}`.as("article_status"),
      })
      .from(comments)
      .innerJoin(articles, eq(articles.id, comments.articleId))
      .where(byAddress(email))
      .orderBy(asc(comments.createdAt), asc(comments.id)),
    db
      .select({ ipHash: commentSubmissions.ipHash, createdAt: commentSubmissions.createdAt })
      .from(commentSubmissions)
      .where(eq(commentSubmissions.emailHash, emailHash))
      .orderBy(asc(commentSubmissions.createdAt)),
    db.select({ id: failedMessages.id, body: failedMessages.body, createdAt: failedMessages.createdAt }).from(failedMessages).where(failedByAddress(email)),
  ]);
  const stored: StoredComment[] = rows.map(({ slug, title, lang, articleStatus, ...c }) => ({
    ...c,
    article: { slug, title, lang, visible: articleStatus === "published" },
  }));
  return { comments: stored, submissions, failedMessages: failed };
}

// A message the queue could not store is kept as it came (failed_messages.body,
// JSON when it parsed): matched by its e-mail field, through the index
// failed_messages_by_email, whose expression this is.
const failedByAddress = (email: string) => sql`CASE WHEN json_valid(body) THEN lower(json_extract(body, '$.email')) END = ${email}`;

/** When the address was last erased (epoch ms), or null: a link sent before then is spent. */
export async function getLastErasure(db: Db, emailHash: string): Promise<number | null> {
  const [row] = await db
    .select({ at: dataRequestLog.at })
    .from(dataRequestLog)
    .where(and(eq(dataRequestLog.emailHash, emailHash), eq(dataRequestLog.action, "erase")))
    .orderBy(desc(dataRequestLog.at))
    .limit(1);
  return row?.at ?? null;
}

/** Records an export in the log, counting the comments it held. */
export async function logExport(db: Db, entry: { via: DataRequestChannel; emailHash: string; comments: number; subscriptions: number; now: number }) {
  await db.insert(dataRequestLog).values({
    action: "export",
    via: entry.via,
    emailHash: entry.emailHash,
    comments: entry.comments,
    subscriptions: entry.subscriptions,
    at: entry.now,
  });
}

export interface Erasure {
  email: string;
  emailHash: string;
  /** Delete the comments too; otherwise their text stays under `anonymous` (per article language). */
  deleteComments: boolean;
  anonymous: { de: string; en: string };
  via: DataRequestChannel;
  now: number;
}

/** A comment the erasure changed: where it was, and whether readers saw it. */
export interface ErasedComment {
  id: string;
  articleId: number;
  status: CommentStatus;
  notifyReplies: number;
}

/**
 * Erases what is stored under the address in one batch (one transaction: all
 * or nothing): the log entry (counting what it covers), the failed-mail
 * records of its comments, then the comments themselves (deleted, or stripped
 * of name, address, website, IP hash and user agent, their subscriptions
 * ended, the text kept under "Anonym"/"Anonymous"), its flood records and
 * unstored messages. Returns the comments it changed, read in the same
 * transaction before they changed. Five statements of at most six parameters
 * each, however many comments the address has.
 */
export async function eraseStoredData(db: Db, e: Erasure): Promise<ErasedComment[]> {
  const d1 = db.$client;
  const mine = "lower(email) = ?1 AND by_editor = 0";
  const [before] = await d1.batch<ErasedComment>([
    d1.prepare(`SELECT id, article_id AS articleId, status, notify_replies AS notifyReplies FROM comments WHERE ${mine} ORDER BY created_at, id`).bind(e.email),
    d1
      .prepare(
        `INSERT INTO data_request_log (action, via, email_hash, comments, deleted, subscriptions, at)
         SELECT 'erase', ?2, ?3, count(*), ?4, coalesce(sum(notify_replies), 0), ?5 FROM comments WHERE ${mine}`,
      )
      .bind(e.email, e.via, e.emailHash, e.deleteComments ? 1 : 0, e.now),
    d1.prepare(`DELETE FROM comment_mail_failures WHERE comment_id IN (SELECT id FROM comments WHERE ${mine})`).bind(e.email),
    e.deleteComments
      ? d1.prepare(`DELETE FROM comments WHERE ${mine}`).bind(e.email)
      : d1
          .prepare(
            `UPDATE comments SET
               author = CASE (SELECT lang FROM articles WHERE articles.id = comments.article_id) WHEN 'de' THEN ?2 ELSE ?3 END,
               email = '', url = NULL, ip_hash = NULL, user_agent = NULL, notify_replies = 0
             WHERE ${mine}`,
          )
          .bind(e.email, e.anonymous.de, e.anonymous.en),
    d1.prepare("DELETE FROM comment_submissions WHERE email_hash = ?").bind(e.emailHash),
    d1.prepare(`DELETE FROM failed_messages WHERE CASE WHEN json_valid(body) THEN lower(json_extract(body, '$.email')) END = ?`).bind(e.email),
  ]);
  return before?.results ?? [];
}
