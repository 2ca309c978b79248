// A Content-Type header read as RFC 9110 (section 5.6.6, 8.3.1) writes it:
// type "/" subtype, then `;`-separated parameters, each a token name, "=",
// and a token or a quoted-string value. Names match case-insensitively and
// whole: a regex over the raw header reads `xboundary=` as `boundary=`, and a
// body checked against one boundary but parsed with another is not checked.

export interface ContentType {
  /** type/subtype in lower case, e.g. "multipart/form-data". */
  mime: string;
  /** Parameters by lower-cased name, values as sent (quotes and escapes removed). */
  params: Map<string, string>;
}

const TOKEN_CHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const MEDIA_TYPE = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+\/[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function skipSpace(text: string, at: number): number {
  let i = at;
  while (text[i] === " " || text[i] === "\t") i++;
  return i;
}

function readToken(text: string, at: number): { value: string; end: number } {
  let end = at;
  while (end < text.length && TOKEN_CHAR.test(text[end] ?? "")) end++;
  return { value: text.slice(at, end), end };
}

/** A quoted-string starting at the opening quote: its value and the index after the closing quote, or null. */
function readQuoted(text: string, at: number): { value: string; end: number } | null {
  let value = "";
  for (let i = at + 1; i < text.length; i++) {
    const ch = text[i] ?? "";
    if (ch === '"') return { value, end: i + 1 };
    if (ch === "\\") {
      i++;
      if (i >= text.length) return null;
      value += text[i];
    } else if ((ch < " " && ch !== "\t") || ch === "\u007f") return null;
    else value += ch;
  }
  return null;
}

/**
 * The media type and its parameters, or a reason the header cannot be read
 * (malformed, or a parameter named twice: which one counts would be a guess).
 */
export function parseContentType(header: string): ContentType | { problem: string } {
  const semicolon = header.indexOf(";");
  const mime = (semicolon === -1 ? header : header.slice(0, semicolon)).trim().toLowerCase();
  if (!MEDIA_TYPE.test(mime)) return { problem: "it names no type/subtype" };
  const params = new Map<string, string>();
  let i = semicolon === -1 ? header.length : semicolon;
  while (i < header.length) {
    // Here header[i] is ";"; empty parameters (";;") are allowed.
    i = skipSpace(header, i + 1);
    if (i >= header.length || header[i] === ";") continue;
    const name = readToken(header, i);
    if (name.value === "" || header[name.end] !== "=") return { problem: `a parameter near "${header.slice(i, i + 20)}" is not name=value` };
    const value = header[name.end + 1] === '"' ? readQuoted(header, name.end + 1) : readToken(header, name.end + 1);
    if (!value || (value.value === "" && header[name.end + 1] !== '"')) return { problem: `the parameter "${name.value}" has no valid value` };
    const key = name.value.toLowerCase();
    if (params.has(key)) return { problem: `the parameter "${key}" is given more than once` };
    params.set(key, value.value);
    i = skipSpace(header, value.end);
    if (i < header.length && header[i] !== ";") return { problem: `unexpected text after the parameter "${key}"` };
  }
  return { mime, params };
}
