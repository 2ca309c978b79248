// What moderators can do to comments, and what they may send: the actions,
// the bodies the API takes, and the check of an editor's own text (an edit or
// a reply). The actions themselves, each a write, a purge and the mail it
// makes due, are in service.ts; their SQL is in moderation-queries.ts.
import * as v from "valibot";
import { COMMENT_STATUSES, type CommentStatus } from "../db/schema";
import { InvalidInputError } from "../lib/errors";
import { COMMENT_ID_PATTERN, type FieldProblem, validateCommentInput } from "./message";
import { renderCommentHtml } from "./sanitize";

export const MODERATION_ACTIONS = ["approve", "unapprove", "spam", "trash", "restore", "delete"] as const;
export type ModerationAction = (typeof MODERATION_ACTIONS)[number];

// Keyed by a checked action only; a Map all the same, so no prototype name can ever resolve.
const ACTION_STATUS = new Map<ModerationAction, CommentStatus>([
  ["approve", "approved"],
  ["unapprove", "pending"],
  ["spam", "spam"],
  ["trash", "trash"],
  ["restore", "pending"],
]);

/** The status an action gives, or null for delete (the row goes). */
export function statusForAction(action: ModerationAction): CommentStatus | null {
  return ACTION_STATUS.get(action) ?? null;
}

/** A moderation action from untrusted input (a form, a URL, the CLI), or null. */
export function parseModerationAction(value: unknown): ModerationAction | null {
  return MODERATION_ACTIONS.find((a) => a === value) ?? null;
}

/** The action that gives a comment this status (what the API's PATCH {status} means). */
export function actionForStatus(status: CommentStatus): ModerationAction {
  return status === "approved" ? "approve" : status === "pending" ? "unapprove" : status;
}

/** At most this many comments in one action (one statement: the ids go in as one JSON value). */
export const MODERATION_MAX_IDS = 100;

/** The body of POST /admin/api/comments/moderate (what the CLI sends with --remote). */
export const moderationRequestSchema = v.object({
  action: v.picklist(MODERATION_ACTIONS, `must be one of ${MODERATION_ACTIONS.join(", ")}`),
  ids: v.pipe(
    v.array(v.pipe(v.string(), v.regex(COMMENT_ID_PATTERN, "must be comment ids")), "must be a list of comment ids"),
    v.minLength(1, "must list at least one comment id"),
    v.maxLength(MODERATION_MAX_IDS, `must list at most ${MODERATION_MAX_IDS} comment ids`),
  ),
});
export type ModerationRequest = v.InferOutput<typeof moderationRequestSchema>;

/** What the API's PATCH takes: a new status, new text, or both. */
export const commentPatchSchema = v.strictObject({
  status: v.optional(v.picklist(COMMENT_STATUSES, `must be one of ${COMMENT_STATUSES.map((s) => `"${s}"`).join(", ")}`)),
  comment: v.optional(v.unknown()),
});
export type CommentPatch = v.InferOutput<typeof commentPatchSchema>;

/** An editor's text is not a comment's; `problem` is what the views translate. */
export class CommentTextError extends InvalidInputError {
  constructor(readonly problem: FieldProblem) {
    super({ comment: problem.code === "too_long" ? `must be at most ${problem.max} bytes` : problem.code.replace(/_/g, " ") });
  }
}

/** Text an editor wrote (an edit or a reply), checked and rendered as a reader's is; throws CommentTextError. */
export function prepareEditorText(text: unknown): { raw: string; html: string } {
  const checked = validateCommentInput({ author: "editor", email: "editor@example.com", comment: text });
  if (!checked.ok) throw new CommentTextError(checked.errors.comment ?? { code: "not_text" });
  return { raw: checked.input.comment, html: renderCommentHtml(checked.input.comment) };
}
