// What moderators do to comments, shared by the admin pages, the JSON API and
// (through SQL of the same meaning) the CLI. Each function returns the ids of
// the articles whose public pages changed, so callers can purge them.

import type { CommentSettings } from "../config";
import type { Db } from "../db/client";
import { COMMENT_APPROVED, type CommentStatus } from "../db/schema";
import { storeComment } from "./consumer";
import { type FieldProblem, parseCommentMessage, validateCommentInput } from "./message";
import { deleteComments, getCommentForAdmin, getFailedMessage, resolveFailedMessage, setCommentStatus, setCommentText } from "./moderation-queries";
import { getCommentDepth, insertCommentOnce, MAX_THREAD_DEPTH } from "./queries";
import { renderCommentHtml } from "./sanitize";

export const MODERATION_ACTIONS = ["approve", "unapprove", "spam", "trash", "restore", "delete"] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

const ACTION_STATUS: Record<Exclude<ModerationAction, "delete">, CommentStatus> = {
  approve: "approved",
  unapprove: "pending",
  spam: "spam",
  trash: "trash",
  restore: "pending",
};

/** D1 takes at most 100 bound values a query: bulk actions go in slices. */
const SLICE = 50;

/** Applies one action to many comments. */
export async function applyModerationAction(db: Db, ids: string[], action: ModerationAction, now: number): Promise<number[]> {
  const articleIds = new Set<number>();
  for (let i = 0; i < ids.length; i += SLICE) {
    const slice = ids.slice(i, i + SLICE);
    const changed = action === "delete" ? (await deleteComments(db, slice)).articleIds : await setCommentStatus(db, slice, ACTION_STATUS[action], now);
    for (const id of changed) articleIds.add(id);
  }
  return [...articleIds];
}

export type EditResult = { ok: true; articleIds: number[] } | { ok: false; problem: FieldProblem } | { ok: false; notFound: true };

/** Replaces a comment's text, sanitized as a reader's text is. */
export async function editCommentText(db: Db, id: string, text: unknown): Promise<EditResult> {
  const checked = validateCommentInput({ author: "x", email: "x@example.com", comment: text });
  if (!checked.ok) return { ok: false, problem: checked.errors.comment ?? { code: "not_text" } };
  const existing = await getCommentForAdmin(db, id);
  if (!existing) return { ok: false, notFound: true };
  const articleIds = await setCommentText(db, id, checked.input.comment, renderCommentHtml(checked.input.comment));
  return { ok: true, articleIds };
}

export interface EditorIdentity {
  name: string;
  email: string;
}

/**
 * Publishes an editor's reply at once. Replying approves a pending parent (as
 * in WordPress); below the deepest level the reply joins its parent's thread.
 */
export async function replyAsEditor(db: Db, parentId: string, text: unknown, editor: EditorIdentity, now: number): Promise<EditResult & { id?: string }> {
  // The editor's name and address come from settings; only the text is checked here.
  const checked = validateCommentInput({ author: editor.name, email: "editor@example.com", comment: text });
  if (!checked.ok) return { ok: false, problem: checked.errors.comment ?? checked.errors.author ?? { code: "not_text" } };
  const parent = await getCommentForAdmin(db, parentId);
  if (!parent) return { ok: false, notFound: true };
  if (parent.status !== COMMENT_APPROVED) await setCommentStatus(db, [parentId], COMMENT_APPROVED, now);
  const depth = await getCommentDepth(db, parentId);
  const id = crypto.randomUUID();
  await insertCommentOnce(db, {
    id,
    articleId: parent.articleId,
    parentId: depth >= MAX_THREAD_DEPTH ? parent.parentId : parentId,
    author: editor.name,
    email: editor.email,
    url: null,
    bodyRaw: checked.input.comment,
    bodyHtml: renderCommentHtml(checked.input.comment),
    status: COMMENT_APPROVED,
    reasons: "[]",
    ipHash: null,
    userAgent: null,
    createdAt: now,
    decidedAt: now,
  });
  return { ok: true, articleIds: [parent.articleId], id };
}

/** Tries once more to store a recorded failed message; resolves it when that works. */
export async function retryFailedMessage(db: Db, settings: CommentSettings, id: string, now: number): Promise<"stored" | "not_found" | string> {
  const failed = await getFailedMessage(db, id);
  if (!failed) return "not_found";
  let body: unknown;
  try {
    body = JSON.parse(failed.body);
  } catch {
    return "the recorded body is not JSON";
  }
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) return `still malformed: ${parsed.error}`;
  try {
    await storeComment(db, settings, parsed.message, now);
  } catch (err) {
    return `not stored: ${err instanceof Error ? err.message : String(err)}`;
  }
  await resolveFailedMessage(db, id, now);
  return "stored";
}
