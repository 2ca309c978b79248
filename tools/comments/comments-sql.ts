// What `npm run comments` reads (list, show), as SQL text: run on the local
// D1 binding, or through `wrangler d1 execute --remote`, which takes no bound
// parameters. Actions write nothing here: they are the Worker's own service
// functions (comments-local.ts, comments-remote.ts). Ids are checked before
// they get here; every value is written by the one escaper (src/db/sql-text.ts).
import { COMMENT_ID_PATTERN } from "../../src/comments/message";
import type { CommentStatus } from "../../src/db/schema";
import { sqlString } from "../../src/db/sql-text";

function idList(ids: string[]): string {
  for (const id of ids) if (!COMMENT_ID_PATTERN.test(id)) throw new Error(`not a comment id: "${id}"`);
  return ids.map(sqlString).join(", ");
}

export function listCommentsSql(opts: { status?: CommentStatus; article?: string; limit: number }): string {
  const where = [opts.status ? `c.status = ${sqlString(opts.status)}` : null, opts.article ? `a.slug = ${sqlString(opts.article)}` : null].filter(Boolean);
  return `SELECT c.id, c.status, c.created_at, c.author, a.slug AS article, substr(replace(c.body_raw, char(10), ' '), 1, 60) AS excerpt
FROM comments c JOIN articles a ON a.id = c.article_id
${where.length > 0 ? `WHERE ${where.join(" AND ")}` : ""}
ORDER BY c.created_at DESC, c.id DESC LIMIT ${Math.floor(opts.limit)}`;
}

export function showCommentSql(id: string): string {
  return `SELECT c.*, a.slug AS article, a.title AS article_title, p.author AS parent_author
FROM comments c JOIN articles a ON a.id = c.article_id LEFT JOIN comments p ON p.id = c.parent_id WHERE c.id IN (${idList([id])})`;
}

/** How many comments a commenter's (checked, lower-cased) address has, and how many are published: what erase would touch. */
export function countCommentsByEmailSql(email: string): string {
  return `SELECT count(*) AS n, coalesce(sum(status = 'approved'), 0) AS approved FROM comments WHERE lower(email) = ${sqlString(email)} AND by_editor = 0`;
}
