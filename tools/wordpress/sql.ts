// SQL text for `wrangler d1 execute --file`: literals, and INSERTs batched so
// that no statement comes near D1's 100 KB statement limit.
import type { CommentRow } from "./comment-rows";

const MAX_STATEMENT_BYTES = 90_000;

export function sqlLiteral(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") return String(Math.trunc(value));
  // NUL cannot appear in an SQL string literal; comments never need it.
  return `'${value.replace(/\0/g, "").replace(/'/g, "''")}'`;
}

const COMMENT_COLUMNS = "id, article_id, parent_id, author, email, url, body_raw, body_html, status, reasons, ip_hash, user_agent, created_at, decided_at";

/** One comment's VALUES tuple; the article is looked up by the slug publish gave it. */
export function commentValues(row: CommentRow, articleSlug: string): string {
  const values = [
    row.id,
    null,
    row.parentId,
    row.author,
    row.email,
    row.url,
    row.bodyRaw,
    row.bodyHtml,
    row.status,
    "[]",
    row.ipHash,
    null,
    row.createdAt,
    row.decidedAt,
  ];
  const literals = values.map((v, i) => (i === 1 ? `(SELECT id FROM articles WHERE slug = ${sqlLiteral(articleSlug)})` : sqlLiteral(v)));
  return `(${literals.join(", ")})`;
}

/** Groups VALUES tuples into INSERT statements under the size limit; a tuple too big alone is returned in `tooBig`. */
export function batchInserts(head: string, tail: string, tuples: string[]): { statements: string[]; tooBig: number[] } {
  const statements: string[] = [];
  const tooBig: number[] = [];
  let batch: string[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length > 0) statements.push(`${head}\n${batch.join(",\n")}\n${tail};\n`);
    batch = [];
    size = head.length + tail.length;
  };
  flush();
  tuples.forEach((tuple, i) => {
    const bytes = Buffer.byteLength(tuple) + 2;
    if (bytes + head.length + tail.length > MAX_STATEMENT_BYTES) {
      tooBig.push(i);
      return;
    }
    if (size + bytes > MAX_STATEMENT_BYTES) flush();
    batch.push(tuple);
    size += bytes;
  });
  flush();
  return { statements, tooBig };
}

export const COMMENT_INSERT_HEAD = `INSERT INTO comments (${COMMENT_COLUMNS}) VALUES`;
export const COMMENT_INSERT_TAIL = "ON CONFLICT (id) DO NOTHING";
export const REDIRECT_INSERT_HEAD = "INSERT INTO redirects (from_path, to_path, status) VALUES";
export const REDIRECT_INSERT_TAIL = "ON CONFLICT (from_path) DO UPDATE SET to_path = excluded.to_path, status = excluded.status";

export function redirectValues(from: string, to: string): string {
  return `(${sqlLiteral(from)}, ${sqlLiteral(to)}, 301)`;
}
