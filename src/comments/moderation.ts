// What moderators do to comments, shared by the admin pages, the JSON API and
// the CLI (which calls the API remotely, or runs these same queries' SQL
// locally). Each function checks everything before it writes, and returns the
// cache tags of the pages that changed, so callers purge exactly those.
import * as v from "valibot";
import { commentPageTags } from "../cache";
import type { CommentSettings, EditorIdentity } from "../config";
import type { Db } from "../db/client";
import { summarizeError } from "../db/error-text";
import { COMMENT_APPROVED, COMMENT_STATUSES, type CommentStatus, comments } from "../db/schema";
import { ConflictError, InvalidInputError, NotFoundError } from "../lib/errors";
import { storeComment } from "./consumer";
import { COMMENT_LIMITS, type FieldProblem, parseCommentMessage, validateCommentInput } from "./message";
import { getCommentForAdmin, getFailedMessage, resolveFailedMessage, setCommentTextQuery, unique } from "./moderation-queries";
import { MODERATION_SLICE, type ModerationAction, moderationQuery, setCommentStatusQuery } from "./moderation-sql";
import { getCommentDepth, MAX_THREAD_DEPTH, setCommentEffectsDone } from "./queries";
import { renderCommentHtml } from "./sanitize";

export { MODERATION_ACTIONS, type ModerationAction, parseModerationAction } from "./moderation-sql";

/** The action that gives a comment this status (what the API's PATCH {status} means). */
export function actionForStatus(status: CommentStatus): ModerationAction {
  return status === "approved" ? "approve" : status === "pending" ? "unapprove" : status;
}

export interface ModerationOutcome {
  /** The ids that changed (the others do not exist or had that status already). */
  changed: string[];
  articleIds: number[];
  /** What to purge from the edge cache. */
  tags: string[];
}

function outcome(rows: { id: string; articleId: number }[]): ModerationOutcome {
  const articleIds = unique(rows.map((r) => r.articleId));
  return { changed: rows.map((r) => r.id), articleIds, tags: commentPageTags(articleIds) };
}

/** Applies one action to many comments: the one path of the web admin, the API and the CLI. */
export async function moderateComments(db: Db, ids: string[], action: ModerationAction, now: number): Promise<ModerationOutcome> {
  const rows: { id: string; articleId: number }[] = [];
  for (let i = 0; i < ids.length; i += MODERATION_SLICE) rows.push(...(await moderationQuery(db, ids.slice(i, i + MODERATION_SLICE), action, now)));
  return outcome(rows);
}

/** Applies one action to many comments; returns the ids of the articles whose pages changed. */
export async function applyModerationAction(db: Db, ids: string[], action: ModerationAction, now: number): Promise<number[]> {
  return (await moderateComments(db, ids, action, now)).articleIds;
}

/** Text an editor wrote (an edit or a reply), checked and rendered as a reader's is; throws InvalidInputError. */
function prepareEditorText(text: unknown): { raw: string; html: string } {
  const checked = validateCommentInput({ author: "editor", email: "editor@example.com", comment: text });
  if (!checked.ok) throw new CommentTextError(checked.errors.comment ?? { code: "not_text" });
  return { raw: checked.input.comment, html: renderCommentHtml(checked.input.comment) };
}

/** An editor's text is not a comment's; `problem` is what the views translate. */
export class CommentTextError extends InvalidInputError {
  constructor(readonly problem: FieldProblem) {
    super({ comment: problem.code === "too_long" ? `must be at most ${problem.max} bytes` : problem.code.replace(/_/g, " ") });
  }
}

/** Replaces a comment's text, sanitized as a reader's text is. Throws CommentTextError or NotFoundError. */
export async function editCommentText(db: Db, id: string, text: unknown): Promise<ModerationOutcome> {
  const body = prepareEditorText(text);
  const changed = await setCommentTextQuery(db, id, body.raw, body.html);
  if (changed.length === 0) throw new NotFoundError("no comment with this id");
  return outcome(changed.filter((c) => c.status === COMMENT_APPROVED).map((c) => ({ id, articleId: c.articleId })));
}

/** What the API's PATCH takes: a new status, new text, or both. */
export const commentPatchSchema = v.strictObject({
  status: v.optional(v.picklist(COMMENT_STATUSES, `must be one of ${COMMENT_STATUSES.map((s) => `"${s}"`).join(", ")}`)),
  comment: v.optional(v.unknown()),
});

/** Applies a checked PATCH: the text is checked before anything is written. */
export async function patchComment(db: Db, id: string, patch: v.InferOutput<typeof commentPatchSchema>, now: number): Promise<ModerationOutcome> {
  if (patch.status === undefined && patch.comment === undefined) throw new InvalidInputError({ status: "give status or comment" });
  if (patch.comment !== undefined) prepareEditorText(patch.comment);
  if (!(await getCommentForAdmin(db, id))) throw new NotFoundError("no comment with this id");
  const edited = patch.comment === undefined ? null : await editCommentText(db, id, patch.comment);
  const moderated = patch.status === undefined ? null : await moderateComments(db, [id], actionForStatus(patch.status), now);
  const articleIds = unique([...(edited?.articleIds ?? []), ...(moderated?.articleIds ?? [])]);
  return { changed: [id], articleIds, tags: commentPageTags(articleIds) };
}

/**
 * Publishes an editor's reply at once. Replying approves a pending parent (as
 * in WordPress); below the deepest level the reply joins its parent's thread.
 * The text is checked and rendered before anything is written, and both writes
 * go in one batch. The only writer of `byEditor`: readers see the reply marked
 * as the editor's, and it makes no one a known author. Throws CommentTextError
 * or NotFoundError.
 */
export async function replyAsEditor(db: Db, parentId: string, text: unknown, editor: EditorIdentity, now: number): Promise<ModerationOutcome & { id: string }> {
  const body = prepareEditorText(text);
  if (new TextEncoder().encode(editor.name).byteLength > COMMENT_LIMITS.author) throw new ConflictError("EDITOR_NAME is longer than a comment's author may be");
  const parent = await getCommentForAdmin(db, parentId);
  if (!parent) throw new NotFoundError("no comment with this id");
  const depth = await getCommentDepth(db, parentId);
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
    createdAt: now,
    decidedAt: now,
    effectsDoneAt: now,
    byEditor: true,
  };
  await db.batch([setCommentStatusQuery(db, [parentId], COMMENT_APPROVED, now), db.insert(comments).values(reply)]);
  return { ...outcome([{ id, articleId: parent.articleId }]), id };
}

/** Tries once more to store a recorded failed message; resolves it when that works. Throws NotFoundError or InvalidInputError. */
export async function retryFailedMessage(db: Db, settings: CommentSettings, id: string, now: number): Promise<ModerationOutcome> {
  const failed = await getFailedMessage(db, id);
  if (!failed) throw new NotFoundError("no failed message with this id");
  let body: unknown;
  try {
    body = JSON.parse(failed.body);
  } catch {
    throw new InvalidInputError({ body: "the recorded body is not JSON" }, "the recorded body is not JSON");
  }
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new InvalidInputError({ body: parsed.error }, `still malformed: ${parsed.error}`);
  let stored: Awaited<ReturnType<typeof storeComment>>;
  try {
    stored = await storeComment(db, settings, parsed.message, now);
  } catch (err) {
    throw new InvalidInputError({ body: "not stored" }, `not stored: ${summarizeError(err)}`);
  }
  // The editor is looking at it: no notice; the caller purges what an approved comment changed.
  await setCommentEffectsDone(db, parsed.message.id, now);
  await resolveFailedMessage(db, id, now);
  return outcome(stored.status === COMMENT_APPROVED ? [{ id: parsed.message.id, articleId: parsed.message.articleId }] : []);
}
