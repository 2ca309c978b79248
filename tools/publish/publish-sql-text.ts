// SQL text for the publisher: literals and the article upsert, kept under
// D1's per-statement size limit. Pure.

const encoder = new TextEncoder();

// `wrangler d1 execute --file` strips a "BEGIN TRANSACTION;" and "COMMIT;"
// anywhere in the file text, inside string literals too, and refuses a file
// with two. Article text may well contain the phrase, so a literal that holds
// it is written with a marker character inside and wrapped in replace(). (Not
// with ||: D1 allows expression trees only 100 deep.)
const TRANSACTION_PHRASE = "BEGIN TRANSACTION";

/** Long text is appended in chunks of this many UTF-16 units (at most 3 bytes each in UTF-8, quotes doubled included). */
const CHUNK_UNITS = 12_000;
const CHUNKED_COLUMNS = ["body_md", "body_html", "body_text"];

/** An SQL expression for the text: a single-quoted literal. NUL cannot be stored as SQL text, so it throws. */
export function sqlString(value: string): string {
  if (value.includes("\0")) throw new Error("SQL text must not contain NUL (U+0000)");
  if (!value.includes(TRANSACTION_PHRASE)) return quote(value);
  const marker = findUnusedCharacter(value);
  const split = value.replaceAll(TRANSACTION_PHRASE, `BEGIN TRANS${marker}ACTION`);
  return `replace(${quote(split)}, ${quote(marker)}, '')`;
}

function quote(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}

/** A character from the private use area that the text does not contain. */
function findUnusedCharacter(text: string): string {
  for (let code = 0xe000; code <= 0xf8ff; code++) {
    const candidate = String.fromCharCode(code);
    if (!text.includes(candidate)) return candidate;
  }
  throw new Error("text uses every private-use character; cannot write it as SQL");
}

/** A literal for a column value: NULL, an integer or a string. */
export function sqlValue(value: string | number | null): string {
  if (value === null) return "NULL";
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer for SQL: ${value}`);
    return String(value);
  }
  return sqlString(value);
}

/** UTF-8 size of a statement, as D1 counts it. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

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
  const fixed = byteLength(head) + byteLength(tail);
  const statements: string[] = [];
  let tuples: string[] = [];
  let size = fixed;
  const flush = () => {
    if (tuples.length > 0) statements.push(`${head}${tuples.join(", ")}${tail}`);
    tuples = [];
    size = fixed;
  };
  for (const row of rows) {
    const tuple = toTuple(names, row);
    const bytes = byteLength(tuple) + 2;
    if (fixed + bytes > maxBytes) {
      statements.push(...buildChunkedUpsert(names, row, (t) => `${head}${t}${tail}`, maxBytes));
      continue;
    }
    if (tuples.length >= ROWS_PER_UPSERT || size + bytes > maxBytes) flush();
    tuples.push(tuple);
    size += bytes;
  }
  flush();
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

/** Splits text into pieces of at most `units` UTF-16 units, never inside a surrogate pair. */
export function chunkText(text: string, units: number): string[] {
  const chunks: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = Math.min(start + units, text.length);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end -= 1;
    chunks.push(text.slice(start, end));
    start = end;
  }
  return chunks;
}
