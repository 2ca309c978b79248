// The short ids `npm run comments -- list` prints (the first 8 hex digits of
// a comment's id) and what they stand for: every prefix of one command is
// resolved with one query; an ambiguous or unknown short id is refused.
import { COMMENT_ID_PATTERN } from "../../src/comments/message";

/** A full id, or at least 8 of its leading characters (hex digits and dashes). */
const ID_PREFIX_PATTERN = /^[0-9a-f]{8}[0-9a-f-]{0,28}$/;
const SHORT_ID_LENGTH = 8;

export const shortId = (id: string) => id.slice(0, SHORT_ID_LENGTH);

/** Checks what the editor typed; throws naming the first thing that is no id. */
export function parseIdPrefixes(args: string[]): string[] {
  for (const arg of args) {
    if (!ID_PREFIX_PATTERN.test(arg.toLowerCase()))
      throw new Error(`not a comment id: "${arg}" (give the id or at least its first ${SHORT_ID_LENGTH} characters, as list prints them)`);
  }
  return args.map((a) => a.toLowerCase());
}

/** The one query that finds every comment id starting with one of the prefixes (checked, so safe to inline). */
export function findIdsSql(prefixes: string[]): string {
  return `SELECT id FROM comments WHERE ${prefixes.map((p) => `substr(id, 1, ${p.length}) = '${p}'`).join(" OR ")} ORDER BY id`;
}

export type Resolution = { ok: true; ids: string[] } | { ok: false; error: string };

/** Maps each prefix to its one comment; a full id nobody has stays as it is (the action reports it unchanged). */
export function resolveIdPrefixes(prefixes: string[], found: string[]): Resolution {
  const ids: string[] = [];
  for (const prefix of prefixes) {
    const matches = found.filter((id) => id.startsWith(prefix));
    if (matches.length > 1) return { ok: false, error: `"${prefix}" is ambiguous: it starts ${matches.join(", ")}. Give more characters.` };
    const [match] = matches;
    if (match) ids.push(match);
    else if (COMMENT_ID_PATTERN.test(prefix)) ids.push(prefix);
    else return { ok: false, error: `No comment id starts with "${prefix}".` };
  }
  return { ok: true, ids: [...new Set(ids)] };
}
