// The local secrets in .dev.vars, read the way wrangler reads them (dotenv's
// rules: KEY=value, KEY="value", 'value' or `value`, # comments, an optional
// `export`, CRLF or LF), from beside the wrangler configuration as wrangler
// looks for it. Keyed by a Map, so a key named __proto__ is a key like any other.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { D1Target } from "./wrangler";

// A key, = (or ": "), then a value quoted with ', " or ` (which may span
// lines) or bare up to a # or the line's end, then an optional comment.
const LINE = /^[ \t]*(?:export[ \t]+)?([\w.-]+)(?:[ \t]*=[ \t]*|:[ \t]+)('(?:\\'|[^'])*'|"(?:\\"|[^"])*"|`(?:\\`|[^`])*`|[^#\n]*)[ \t]*(?:#.*)?$/gm;

/** The variables in .dev.vars text; a later line wins over an earlier one with the same key. */
export function parseDevVars(text: string): Map<string, string> {
  const vars = new Map<string, string>();
  const lines = text.replace(/\r\n?/g, "\n");
  for (const match of lines.matchAll(LINE)) {
    const [, key = "", raw = ""] = match;
    vars.set(key, unquote(raw.trim()));
  }
  return vars;
}

function unquote(value: string): string {
  const quote = value[0];
  if ((quote !== '"' && quote !== "'" && quote !== "`") || value.length < 2 || !value.endsWith(quote)) return value;
  const inner = value.slice(1, -1);
  // Only double quotes read \n and \r as line breaks, as dotenv does.
  return quote === '"' ? inner.replaceAll("\\n", "\n").replaceAll("\\r", "\r") : inner;
}

/** The .dev.vars beside the wrangler configuration (or in the working directory); empty when there is none. */
export async function readDevVars(config?: string): Promise<Map<string, string>> {
  const dir = config ? path.dirname(path.resolve(config)) : process.cwd();
  const text = await readFile(path.join(dir, ".dev.vars"), "utf8").catch(() => "");
  return parseDevVars(text);
}

/**
 * A secret for a command: from the environment, else (for the local D1 only,
 * whose Worker reads the same file) from .dev.vars. Empty values count as unset.
 */
export async function readLocalSecret(name: string, target: D1Target, env: Record<string, string | undefined> = process.env): Promise<string | null> {
  const fromEnv = env[name];
  if (fromEnv) return fromEnv;
  if (target.remote) return null;
  return (await readDevVars(target.config)).get(name) || null;
}
