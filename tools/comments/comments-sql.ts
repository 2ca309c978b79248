// The SQL behind `npm run comments --local`. Moderation actions are the
// Worker's own statements (moderation-sql.ts), printed by drizzle's toSQL with
// their values written in, so the terminal and the admin cannot drift apart.
// Reading (list, show) is the CLI's own. Ids are checked before they get here;
// every value is written by the one escaper (src/db/sql-text.ts).
import { drizzle } from "drizzle-orm/sqlite-proxy";
import { COMMENT_ID_PATTERN } from "../../src/comments/message";
import { type ModerationAction, moderationQuery } from "../../src/comments/moderation-sql";
import type { CommentStatus } from "../../src/db/schema";
import { sqlString, sqlValue } from "../../src/db/sql-text";

// A client that only prints: toSQL never runs anything.
const printer = drizzle(async () => {
  throw new Error("the SQL printer runs no queries");
});

function idList(ids: string[]): string {
  assertIds(ids);
  return ids.map(sqlString).join(", ");
}

function assertIds(ids: string[]): void {
  for (const id of ids) if (!COMMENT_ID_PATTERN.test(id)) throw new Error(`not a comment id: "${id}"`);
}

/** A statement with its bound values written in (wrangler d1 execute --command takes no parameters). */
export function inlineParams(statement: string, params: unknown[]): string {
  let index = 0;
  return statement.replace(/\?/g, () => {
    const value = params[index++];
    if (typeof value === "number" || typeof value === "string" || value === null) return sqlValue(value);
    throw new Error(`cannot write ${typeof value} into SQL`);
  });
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

/** The Worker's statement for the action, returning the ids (and articles) it changed. */
export function actionSql(action: ModerationAction, ids: string[], now: number): string {
  assertIds(ids);
  const { sql, params } = moderationQuery(printer, ids, action, Math.floor(now)).toSQL();
  return inlineParams(sql, params);
}
