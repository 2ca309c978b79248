// The import's rows as SQL text for `wrangler d1 execute --file`: values
// written by the one escaper and packed into INSERTs by the one chunker
// (src/db/sql-text.ts), so no statement nears D1's 100 KB and no text can
// be cut by wrangler.
import { sqlString, sqlValue } from "../../src/db/sql-text";
import type { CommentRow } from "./comment-rows";

const COMMENT_COLUMNS =
  "id, article_id, parent_id, author, email, url, body_raw, body_html, status, reasons, ip_hash, user_agent, created_at, decided_at, wordpress_id";

/** One comment's VALUES tuple; the article is looked up by the slug publish gave it. */
export function commentValues(row: CommentRow, articleSlug: string): string {
  const values = [
    sqlValue(row.id),
    `(SELECT id FROM articles WHERE slug = ${sqlString(articleSlug)})`,
    sqlValue(row.parentId),
    sqlValue(row.author),
    sqlValue(row.email),
    sqlValue(row.url),
    sqlValue(row.bodyRaw),
    sqlValue(row.bodyHtml),
    sqlValue(row.status),
    sqlValue("[]"),
    sqlValue(row.ipHash),
    "NULL",
    sqlValue(Math.trunc(row.createdAt)),
    sqlValue(row.decidedAt === null ? null : Math.trunc(row.decidedAt)),
    sqlValue(row.wordpressId),
  ];
  return `(${values.join(", ")})`;
}

export const COMMENT_INSERT_HEAD = `INSERT INTO comments (${COMMENT_COLUMNS}) VALUES`;
// Importing again changes no comment an editor may have moderated since; it only gives a stored comment without one its old anchor.
export const COMMENT_INSERT_TAIL = "ON CONFLICT (id) DO UPDATE SET wordpress_id = excluded.wordpress_id WHERE comments.wordpress_id IS NULL";
export const REDIRECT_INSERT_HEAD = "INSERT INTO redirects (from_path, to_path, status) VALUES";
export const REDIRECT_INSERT_TAIL = "ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status";

export function redirectValues(from: string, to: string): string {
  return `(${sqlString(from)}, ${sqlString(to)}, 301)`;
}

export const IMPORTED_INSERT_HEAD = "INSERT INTO imported_comments (id) VALUES";
export const IMPORTED_INSERT_TAIL = "ON CONFLICT (id) DO NOTHING";

/** The tuple that records a comment as imported (migrations/0025), so a later import does not bring it back once deleted. */
export function importedValues(id: string): string {
  return `(${sqlString(id)})`;
}
