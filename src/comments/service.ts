// Every action on comments, one function each, shared by the web admin, the
// JSON API, the CLI (locally on the local D1; with --remote through the API)
// and the queue consumer (service-queue.ts). Each writes (one statement, or
// one batch where it must be atomic), then purges the pages that changed,
// then sends the mail the write made due, and returns what the caller shows.
// Once the write has committed, nothing after it fails the action: a purge
// that fails waits for the cron (src/cache/pending-purges.ts), and mail is
// read from D1 as due, so the cron's sweep sends what was not sent here. To
// change what follows an approval, change it here.
import { commentPageTags, type PurgeContext, type PurgeStatus, purgeAfterWrite } from "../cache";
import type { EditorIdentity } from "../config";
import { getCommentSettings, getSiteSettings } from "../config";
import type { Db } from "../db/client";
import { summarizeError } from "../db/error-text";
import { COMMENT_APPROVED, comments } from "../db/schema";
import { ConflictError, InvalidInputError, NotFoundError } from "../lib/errors";
import { getModeratorMailer, type ModeratorMailer } from "./held-mail";
import { COMMENT_LIMITS } from "./message";
import { actionForStatus, type CommentPatch, type ModerationAction, prepareEditorText } from "./moderation";
import { getCommentForAdmin, moderationQuery, setCommentStatusQuery, setCommentTextQuery } from "./moderation-queries";
import { commentExists, getCommentDepth, MAX_THREAD_DEPTH } from "./queries";
import { getReaderMailer, mailApprovedComments, mailConfirmations, type ReaderMailer } from "./reader-mail";
import { confirmSubscription } from "./reader-mail-queries";

/** Who hears of a comment besides its page: its author, the moderators (mail, webhook). */
interface CommentNotices {
  /** Commenters' mail (confirmations, approvals, replies); null when EMAIL_FROM is empty. */
  readerMail: ReaderMailer | null;
  /** The moderators' mail about held comments; null when off. */
  moderatorMail: ModeratorMailer | null;
  /** MODERATION_WEBHOOK_URL and the site's URL for the notice's links; null when off. */
  webhook: { url: string; siteUrl: string } | null;
}

/** What the actions need of the platform, as plain values. */
export interface CommentPlatform {
  db: Db;
  /** The edge cache to purge; null where there is none (the local CLI). */
  purge: PurgeContext | null;
  /** null where no mail can be sent (the local CLI): what is due then goes out with the Worker's next cron. */
  notices: CommentNotices | null;
  now: number;
}

/** The platform as a Worker invocation has it: its edge cache, and mail and webhook as the vars set them up. */
export function getCommentPlatform(env: Env, db: Db, purge: PurgeContext | null, now: number): CommentPlatform {
  const settings = getCommentSettings(env);
  const site = getSiteSettings(env);
  const notices = {
    readerMail: getReaderMailer(env),
    moderatorMail: getModeratorMailer(env, site, settings.moderation === "first_time"),
    webhook: settings.webhookUrl ? { url: settings.webhookUrl, siteUrl: site.url } : null,
  };
  return { db, purge, notices, now };
}

/** What an action returns: what changed, the tags of the pages that show it, and what became of their purge. */
export interface ModerationOutcome {
  /** The ids that changed (the others do not exist or had that status already). */
  changed: string[];
  tags: string[];
  purge: PurgeStatus;
}

/** Mail an action made due: confirmations of new comments, approvals (and replies to subscribers). */
export interface DueMail {
  confirm?: string[];
  approved?: string[];
}

/**
 * After a committed write: purges the pages of the changed comments, then
 * sends the commenters' mail it made due. Neither failure reaches the caller:
 * both are logged (one line, no personal data) and left to the cron.
 */
export async function purgeThenMail(p: CommentPlatform, changed: { id: string; articleId: number }[], mail: DueMail = {}): Promise<ModerationOutcome> {
  const tags = commentPageTags(changed.map((c) => c.articleId));
  const purge = await purgeAfterWrite(p.db, p.purge, tags, p.now);
  const readerMail = p.notices?.readerMail;
  if (readerMail) {
    try {
      if (mail.confirm?.length) await mailConfirmations(p.db, readerMail, mail.confirm, p.now);
      if (mail.approved?.length) await mailApprovedComments(p.db, readerMail, mail.approved, p.now);
    } catch (err) {
      console.error(`commenters' mail failed after the write committed; the cron sends it: ${summarizeError(err)}`);
    }
  }
  return { changed: changed.map((c) => c.id), tags, purge };
}

/** Applies one action to the given comments in one statement (a bulk action changes all or none). */
export async function moderateComments(p: CommentPlatform, ids: string[], action: ModerationAction): Promise<ModerationOutcome> {
  if (ids.length === 0) return { changed: [], tags: [], purge: "none" };
  const changed = await moderationQuery(p.db, [...new Set(ids)], action, p.now);
  // Only an approval makes mail due (the commenter's, and the parent author's of a reply).
  return purgeThenMail(p, changed, { approved: action === "approve" ? changed.map((c) => c.id) : [] });
}

/** Replaces a comment's text, checked and sanitized as a reader's is. Throws CommentTextError or NotFoundError. */
export async function editComment(p: CommentPlatform, id: string, text: unknown): Promise<ModerationOutcome> {
  const body = prepareEditorText(text);
  const [row] = await setCommentTextQuery(p.db, id, body.raw, body.html);
  if (!row) throw new NotFoundError("no comment with this id");
  // Only an approved comment is on a page; the others changed nowhere a reader looks.
  return purgeThenMail(p, row.status === COMMENT_APPROVED ? [{ id, articleId: row.articleId }] : []);
}

/** The API's PATCH: a new status, new text, or both in one batch; the text is checked before anything is written. */
export async function patchComment(p: CommentPlatform, id: string, patch: CommentPatch): Promise<ModerationOutcome> {
  const { status, comment } = patch;
  if (status === undefined && comment === undefined) throw new InvalidInputError({ status: "give status or comment" });
  const body = comment === undefined ? null : prepareEditorText(comment);
  if (status === undefined) return editComment(p, id, comment);
  if (body === null) {
    // An unchanged status changes no row: only a lookup tells "unchanged" from "no such comment".
    if (!(await commentExists(p.db, id))) throw new NotFoundError("no comment with this id");
    return moderateComments(p, [id], actionForStatus(status));
  }
  const [[edited], moderated] = await p.db.batch([
    setCommentTextQuery(p.db, id, body.raw, body.html),
    moderationQuery(p.db, [id], actionForStatus(status), p.now),
  ]);
  if (!edited) throw new NotFoundError("no comment with this id");
  // Its page changed when the status did, or when it stays approved with new text.
  const onPage = moderated.length > 0 || status === COMMENT_APPROVED ? [{ id, articleId: edited.articleId }] : [];
  return purgeThenMail(p, onPage, { approved: status === COMMENT_APPROVED ? [id] : [] });
}

/**
 * Publishes an editor's reply at once. Replying approves a pending parent (as
 * in WordPress); below the deepest level the reply joins its parent's thread.
 * The text is checked and rendered before anything is written, and both writes
 * go in one batch. The only writer of `byEditor`: readers see the reply marked
 * as the editor's, and it makes no one a known author. Throws CommentTextError,
 * NotFoundError or ConflictError (EDITOR_NAME too long).
 */
export async function replyAsEditor(p: CommentPlatform, parentId: string, text: unknown, editor: EditorIdentity): Promise<ModerationOutcome & { id: string }> {
  const body = prepareEditorText(text);
  if (new TextEncoder().encode(editor.name).byteLength > COMMENT_LIMITS.author) throw new ConflictError("EDITOR_NAME is longer than a comment's author may be");
  const parent = await getCommentForAdmin(p.db, parentId);
  if (!parent) throw new NotFoundError("no comment with this id");
  const depth = await getCommentDepth(p.db, parentId);
  const id = crypto.randomUUID();
  const reply = {
    id,
    articleId: parent.articleId,
    parentId: depth >= MAX_THREAD_DEPTH ? parent.parentId : parentId,
    author: editor.name,
    email: editor.email,
    url: null,
    bodyRaw: body.raw,
    bodyHtml: body.html,
    status: COMMENT_APPROVED,
    reasons: "[]",
    ipHash: null,
    userAgent: null,
    createdAt: p.now,
    decidedAt: p.now,
    effectsDoneAt: p.now,
    byEditor: true,
  };
  await p.db.batch([setCommentStatusQuery(p.db, [parentId], COMMENT_APPROVED, p.now), p.db.insert(comments).values(reply)]);
  // The parent's author may hear of both: their comment approved, and the editor's answer.
  const outcome = await purgeThenMail(p, [{ id, articleId: parent.articleId }], { approved: [parentId, id] });
  return { ...outcome, id };
}

/**
 * A commenter followed the link in the confirmation mail and pressed its
 * button; an approval that came before is told now. False when there is
 * nothing to confirm (the comment is gone, or its author unsubscribed).
 */
export async function confirmNotifications(p: CommentPlatform, id: string): Promise<boolean> {
  if (!(await confirmSubscription(p.db, id, p.now))) return false;
  await purgeThenMail(p, [], { approved: [id] });
  return true;
}
