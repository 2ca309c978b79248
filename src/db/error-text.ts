// What an error says, for logs and for the records moderators read. Drizzle
// wraps a failed query in "Failed query: <sql> params: <values>", and the
// values are a commenter's e-mail, IP hash and whole text: that wrapping is
// dropped here, the one place errors become text, and only its cause (D1's
// own message) is kept.
import { DrizzleQueryError } from "drizzle-orm";

/** Enough for any message D1 or the domain code writes; a record's error stays small. */
export const MAX_ERROR_TEXT = 500;

/** An error's message and its causes' (not drizzle's query and parameters), at most `max` characters. */
export function summarizeError(err: unknown, max = MAX_ERROR_TEXT): string {
  const parts: string[] = [];
  let e: unknown = err;
  for (let depth = 0; depth < 5 && e !== undefined && e !== null; depth++) {
    const whole = e instanceof DrizzleQueryError ? (e.cause === undefined ? "database query failed" : "") : e instanceof Error ? e.message : String(e);
    const text = whole.slice(0, max + 1);
    // D1's error repeats its cause's message: say it once.
    if (text !== "" && !parts.some((part) => part.includes(text))) parts.push(text);
    e = e instanceof Error ? e.cause : undefined;
  }
  return truncate(parts.join(": "), max);
}

/** An error's call frames, without its message (drizzle's holds the SQL parameters): for logs of unexpected errors. */
export function listStackFrames(err: unknown): string {
  if (!(err instanceof Error) || err.stack === undefined) return "";
  // The stack starts with the message, which may span lines: cut it off whole, or give nothing.
  const header = err.message === "" ? err.name : `${err.name}: ${err.message}`;
  return err.stack.startsWith(header) ? err.stack.slice(header.length).replace(/^\n/, "") : "";
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never end on half a surrogate pair: stored as text, it would turn into U+FFFD.
  const end = /[\ud800-\udbff]/.test(text.charAt(max - 2)) ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}
