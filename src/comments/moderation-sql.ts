// The moderation actions and their one statement each, over any async SQLite
// drizzle client: the Worker runs them on D1, and `npm run comments --local`
// prints the very same statements (drizzle's toSQL) for `wrangler d1 execute`.
// No Workers types here, so the Node CLI can import it.
import { and, inArray, sql } from "drizzle-orm";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import * as v from "valibot";
import { type CommentStatus, comments } from "../db/schema";
import { COMMENT_ID_PATTERN } from "./message";

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

/** A moderation action from untrusted input (a form, a URL, the CLI), or null. */
export function parseModerationAction(value: unknown): ModerationAction | null {
  return MODERATION_ACTIONS.find((a) => a === value) ?? null;
}

/** D1 takes at most 100 bound values a query: bulk actions go in slices of this many ids. */
export const MODERATION_SLICE = 50;

// biome-ignore lint/suspicious/noExplicitAny: any async SQLite client (D1 in the Worker, a SQL printer in the CLI)
type AnySqlite = BaseSQLiteDatabase<"async", any>;

/** The update that sets the status of the given comments (those that had another), returning what changed. */
export function setCommentStatusQuery(db: AnySqlite, ids: string[], status: CommentStatus, now: number) {
  return db
    .update(comments)
    .set({ status, decidedAt: now })
    .where(and(inArray(comments.id, ids), sql`${comments.status} <> ${status}`))
    .returning({ id: comments.id, articleId: comments.articleId });
}

/** The delete of the given comments, for good, returning what went; their replies stay, as top-level comments. */
export function deleteCommentsQuery(db: AnySqlite, ids: string[]) {
  return db.delete(comments).where(inArray(comments.id, ids)).returning({ id: comments.id, articleId: comments.articleId });
}

/** The statement that applies an action to one slice of ids and returns the rows it changed. */
export function moderationQuery(db: AnySqlite, ids: string[], action: ModerationAction, now: number) {
  const status = ACTION_STATUS.get(action);
  return status === undefined ? deleteCommentsQuery(db, ids) : setCommentStatusQuery(db, ids, status, now);
}

/** The body of POST /admin/api/comments/moderate (what the CLI sends with --remote). */
export const moderationRequestSchema = v.object({
  action: v.picklist(MODERATION_ACTIONS, `must be one of ${MODERATION_ACTIONS.join(", ")}`),
  ids: v.pipe(
    v.array(v.pipe(v.string(), v.regex(COMMENT_ID_PATTERN, "must be comment ids")), "must be a list of comment ids"),
    v.minLength(1, "must list at least one comment id"),
    v.maxLength(100, "must list at most 100 comment ids"),
  ),
});
export type ModerationRequest = v.InferOutput<typeof moderationRequestSchema>;
