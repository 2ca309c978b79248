// The SQL behind `npm run comments`: the same meaning as the admin's queries,
// written out for `wrangler d1 execute`. Ids are checked before they get here.
import { COMMENT_ID_PATTERN } from "../comments/message";
import type { CommentStatus } from "../db/schema";

export const CLI_ACTIONS = { approve: "approved", unapprove: "pending", spam: "spam", trash: "trash", restore: "pending" } as const satisfies Record<
  string,
  CommentStatus
>;
export type CliAction = keyof typeof CLI_ACTIONS | "delete";

function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function idList(ids: string[]): string {
  for (const id of ids) if (!COMMENT_ID_PATTERN.test(id)) throw new Error(`not a comment id: "${id}"`);
  return ids.map(quote).join(", ");
}

export function listCommentsSql(opts: { status?: CommentStatus; article?: string; limit: number }): string {
  const where = [opts.status ? `c.status = ${quote(opts.status)}` : null, opts.article ? `a.slug = ${quote(opts.article)}` : null].filter(Boolean);
  return `SELECT c.id, c.status, c.created_at, c.author, a.slug AS article, substr(replace(c.body_raw, char(10), ' '), 1, 60) AS excerpt
FROM comments c JOIN articles a ON a.id = c.article_id
${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
ORDER BY c.created_at DESC, c.id DESC LIMIT ${Math.floor(opts.limit)}`;
}

export function showCommentSql(id: string): string {
  return `SELECT c.*, a.slug AS article, a.title AS article_title FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.id IN (${idList([id])})`;
}

/** One statement that applies the action and returns the ids it changed. */
export function actionSql(action: CliAction, ids: string[], now: number): string {
  if (action === "delete") return `DELETE FROM comments WHERE id IN (${idList(ids)}) RETURNING id`;
  const status = CLI_ACTIONS[action];
  return `UPDATE comments SET status = ${quote(status)}, decided_at = ${Math.floor(now)} WHERE id IN (${idList(ids)}) AND status <> ${quote(status)} RETURNING id`;
}
