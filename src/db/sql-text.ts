// SQL text with its values written in, as the tools hand it to
// `wrangler d1 execute` (which takes no bound parameters): the one escaper,
// the one chunker, and the one check of what wrangler and D1 accept. Pure:
// the Worker and the tools share it, nothing here imports node:*.
import { D1_MAX_STATEMENT_BYTES } from "./limits";

/** What a statement is built up to: under D1's limit, with room for the statement around its rows. */
export const STATEMENT_BUDGET_BYTES = 90_000;

/** Rows one multi-row statement takes at most: few statements matter (a local D1 pays per statement), huge ones do not help. */
export const ROWS_PER_STATEMENT = 100;

// `wrangler d1 execute` (--file, and --command locally) cuts SQL text that
// contains "BEGIN TRANSACTION": it removes the first "BEGIN TRANSACTION;" and
// the first "COMMIT;" anywhere in the text, inside string literals too, and
// refuses text with a second "BEGIN TRANSACTION". Text without the phrase
// passes untouched, a lone "COMMIT;" included. So no SQL text the tools write
// contains the phrase: a literal holding it is written with a marker character
// inside and wrapped in replace(). (Not with ||: D1 allows expression trees
// only 100 deep.)
const TRANSACTION_PHRASE = "BEGIN TRANSACTION";

const encoder = new TextEncoder();

/** An SQL expression for the text: a quoted literal that wrangler leaves whole. NUL cannot be SQL text, so it throws. */
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

/** UTF-8 size of SQL text, as D1 counts it. */
export function byteLength(text: string): number {
  return encoder.encode(text).length;
}

/** Why wrangler or D1 would not take the statement as it is, or null when they would. */
export function checkStatementText(sql: string): string | null {
  if (sql.includes(TRANSACTION_PHRASE)) return `the SQL text contains "${TRANSACTION_PHRASE}", which wrangler cuts out; write text values with sqlString`;
  const bytes = byteLength(sql);
  if (bytes > D1_MAX_STATEMENT_BYTES) return `a statement of ${bytes} bytes is over D1's limit of ${D1_MAX_STATEMENT_BYTES}`;
  return null;
}

/** Splits text into pieces of at most `units` UTF-16 units, never inside a surrogate pair. */
export function chunkText(text: string, units: number): string[] {
  if (!Number.isInteger(units) || units < 2) throw new RangeError("chunkText needs room for a surrogate pair: 2 units or more");
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

/**
 * Groups items in order: at most maxItems a group, whose sizes add up to at
 * most maxBytes. An item larger than maxBytes gets a group of its own (the
 * caller decides what to do with it).
 */
export function chunkList<T>(items: readonly T[], limits: { maxItems: number; maxBytes: number }, sizeOf: (item: T) => number): T[][] {
  const groups: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const itemSize = sizeOf(item);
    if (current.length > 0 && (current.length >= limits.maxItems || size + itemSize > limits.maxBytes)) {
      groups.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += itemSize;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}

/**
 * Multi-row statements `head (row), (row) tail;`, each under the statement
 * budget and ROWS_PER_STATEMENT rows. A row too big for a statement of its
 * own is left out and named by its index in `tooBig`.
 */
export function packRows(head: string, tail: string, rows: readonly string[]): { statements: string[]; tooBig: number[] } {
  const room = STATEMENT_BUDGET_BYTES - byteLength(head) - byteLength(tail) - 4;
  const tooBig: number[] = [];
  const sized: { row: string; bytes: number }[] = [];
  rows.forEach((row, i) => {
    const bytes = byteLength(row) + 2;
    if (bytes > room) tooBig.push(i);
    else sized.push({ row, bytes });
  });
  const statements = chunkList(sized, { maxItems: ROWS_PER_STATEMENT, maxBytes: room }, (r) => r.bytes).map(
    (group) => `${head}\n${group.map((r) => r.row).join(",\n")}\n${tail};`,
  );
  return { statements, tooBig };
}
