// Search snippets: a short passage of a hit's text around the first match,
// with every match of the reader's terms marked. Matching folds case and
// diacritics as the index does, so "moglichkeiten" marks "Möglichkeiten".
// Returns text segments; the view escapes them (the terms are the reader's).

export interface SnippetPart {
  text: string;
  /** True for a matched term: the view wraps it in <mark>. */
  match: boolean;
}

/** Around the first match, this many characters on each side. */
const CONTEXT_CHARS = 90;

/** Folds one character as the index does: lower case, no diacritics. */
function foldChar(ch: string): string {
  return ch.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

/** The folded text and, for each folded UTF-16 unit, the index of its source character. */
function fold(text: string): { folded: string; sourceIndex: number[] } {
  let folded = "";
  const sourceIndex: number[] = [];
  let i = 0;
  for (const ch of text) {
    const f = foldChar(ch);
    folded += f;
    for (let k = 0; k < f.length; k++) sourceIndex.push(i);
    i += ch.length;
  }
  sourceIndex.push(text.length);
  return { folded, sourceIndex };
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

/** A match of a stem ("unternehmen") marks the rest of its word too ("Unternehmens"). */
function toWordEnd(text: string, end: number): number {
  let at = end;
  while (at < text.length && WORD_CHAR.test(text[at] ?? "")) at++;
  return at;
}

/** Source ranges [start, end) of every match of any term, to the end of its word, merged and sorted. */
function findMatches(text: string, terms: string[]): [number, number][] {
  const { folded, sourceIndex } = fold(text);
  const ranges: [number, number][] = [];
  for (const term of terms) {
    const needle = fold(term).folded;
    if (needle.length === 0) continue;
    for (let at = folded.indexOf(needle); at !== -1; at = folded.indexOf(needle, at + needle.length)) {
      ranges.push([sourceIndex[at] ?? 0, toWordEnd(text, sourceIndex[at + needle.length] ?? text.length)]);
    }
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const last = merged[merged.length - 1];
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return merged;
}

/** Moves a cut to the nearest space within a few characters, so words stay whole. */
function toWordBoundary(text: string, at: number, direction: -1 | 1): number {
  for (let i = 0; i < 20; i++) {
    const pos = at + i * direction;
    if (pos <= 0) return 0;
    if (pos >= text.length) return text.length;
    if (text[pos] === " ") return direction === -1 ? pos + 1 : pos;
  }
  return at;
}

/** A passage of `text` around the first match of `terms`, as marked segments; the opening when nothing matches. */
export function makeSnippet(text: string, terms: string[]): SnippetPart[] {
  const matches = findMatches(text, terms);
  const first = matches[0]?.[0] ?? 0;
  const start = first <= CONTEXT_CHARS ? 0 : toWordBoundary(text, first - CONTEXT_CHARS, -1);
  const end = toWordBoundary(text, Math.min(text.length, first + CONTEXT_CHARS * 2), 1);
  const parts: SnippetPart[] = [];
  if (start > 0) parts.push({ text: "…", match: false });
  let at = start;
  for (const [from, to] of matches) {
    if (to <= start || from >= end) continue;
    const a = Math.max(from, start);
    const b = Math.min(to, end);
    if (a > at) parts.push({ text: text.slice(at, a), match: false });
    parts.push({ text: text.slice(a, b), match: true });
    at = b;
  }
  if (end > at) parts.push({ text: text.slice(at, end), match: false });
  if (end < text.length) parts.push({ text: "…", match: false });
  return parts;
}
