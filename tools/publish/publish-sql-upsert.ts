// The article upsert as SQL text, kept under D1's per-statement size limit;
// literals are written by the one escaper (src/db/sql-text.ts). Pure.
import { byteLength, chunkList, chunkText, sqlString, sqlValue } from "../../src/db/sql-text";

/** Long text is appended in chunks of this many UTF-16 units (at most 3 bytes each in UTF-8, quotes doubled included). */
const CHUNK_UNITS = 12_000;
const CHUNKED_COLUMNS = ["body_md", "body_html", "body_text"];

export type SqlRow = Record<string, string | number | null>;

/** Rows per multi-row upsert; fewer statements matter, a local D1 pays per statement. */
const ROWS_PER_UPSERT = 50;

/**
 * INSERT ... ON CONFLICT(slug) DO UPDATE for article rows that share `rules`
 * (the SET expressions that differ from "take the new value"), several rows
 * per statement up to maxBytes. A row too long for one statement starts with
 * the first chunk of its long columns, and UPDATE ... || statements append the
 * rest (safe to re-run: the upsert resets the columns first).
 */
export function buildUpsertStatements(rows: SqlRow[], rules: Record<string, string>, maxBytes: number): string[] {
  const names = Object.keys(rows[0] ?? {});
  const updates = names.filter((name) => name !== "slug").map((name) => `${name} = ${rules[name] ?? `excluded.${name}`}`);
  const head = `INSERT INTO articles (${names.join(", ")}) VALUES `;
  const tail = ` ON CONFLICT(slug) DO UPDATE SET ${updates.join(", ")};`;
  const room = maxBytes - byteLength(head) - byteLength(tail);
  const statements: string[] = [];
  const fitting: { tuple: string; bytes: number }[] = [];
  for (const row of rows) {
    const tuple = toTuple(names, row);
    const bytes = byteLength(tuple) + 2;
    if (bytes > room) statements.push(...buildChunkedUpsert(names, row, (t) => `${head}${t}${tail}`, maxBytes));
    else fitting.push({ tuple, bytes });
  }
  for (const group of chunkList(fitting, { maxItems: ROWS_PER_UPSERT, maxBytes: room }, (t) => t.bytes)) {
    statements.push(`${head}${group.map((t) => t.tuple).join(", ")}${tail}`);
  }
  return statements;
}

function buildChunkedUpsert(names: string[], row: SqlRow, upsert: (tuple: string) => string, maxBytes: number): string[] {
  const slug = row.slug;
  if (typeof slug !== "string") throw new Error("an article row needs a slug");
  const first: SqlRow = { ...row };
  const appends: string[] = [];
  for (const column of CHUNKED_COLUMNS) {
    const value = row[column];
    if (typeof value !== "string") continue;
    const [head = "", ...rest] = chunkText(value, CHUNK_UNITS);
    first[column] = head;
    for (const chunk of rest) {
      appends.push(`UPDATE articles SET ${column} = ${column} || ${sqlString(chunk)} WHERE slug = ${sqlString(slug)};`);
    }
  }
  const statements = [upsert(toTuple(names, first)), ...appends];
  const tooBig = statements.find((s) => byteLength(s) > maxBytes);
  if (tooBig) throw new Error(`article "${slug}": a statement of ${byteLength(tooBig)} bytes is over the limit of ${maxBytes}`);
  return statements;
}

function toTuple(names: string[], row: SqlRow): string {
  return `(${names.map((name) => sqlValue(row[name] ?? null)).join(", ")})`;
}
