// A reader's search box input, turned into what the index can answer. Pure.
//
// The index (migrations/0009_search.sql) uses trigram tokens: every term of
// three or more characters becomes a quoted FTS5 string, which matches it as a
// substring anywhere in a word ("market" finds "Onlinemarketing"). Quoted
// phrases stay phrases. Everything the reader types is quoted, so no input is
// FTS5 syntax and no query can fail to parse. Shorter terms ("KI", "IT")
// cannot be trigram-matched: they are matched with LIKE instead.

/** Longest query a reader may send, in characters. */
export const MAX_QUERY_LENGTH = 200;
/** At most this many terms count; the rest are dropped (the cost grows with each). */
export const MAX_TERMS = 8;
const MIN_TRIGRAM_LENGTH = 3;

export interface SearchQuery {
  /** What the reader typed, trimmed (shown back in the search field). */
  text: string;
  /** The FTS5 MATCH expression for the terms of three or more characters; null when there are none. */
  match: string | null;
  /** Terms shorter than three characters, matched with LIKE. */
  shortTerms: string[];
  /** Every term and phrase, for highlighting in snippets. */
  terms: string[];
}

export type ParsedSearch = { ok: true; query: SearchQuery } | { ok: false; problem: "empty" | "too_long" };

// Letters, digits and joiners inside words; anything else separates terms.
const TERM_CHARS = /[^\p{L}\p{N}\p{M}'’.+#&@_-]+/u;
const EDGE_PUNCTUATION = /^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu;

/** Splits the input into phrases ("…") and words. */
function splitTerms(text: string): string[] {
  const terms: string[] = [];
  const parts = text.split(/["“”„]/);
  parts.forEach((part, i) => {
    const inQuotes = i % 2 === 1 && i < parts.length - 1;
    if (inQuotes) {
      const phrase = part.replace(/\s+/g, " ").trim();
      if (phrase.length > 0) terms.push(phrase);
      return;
    }
    for (const word of part.split(TERM_CHARS)) {
      const bare = word.replace(EDGE_PUNCTUATION, "");
      if (bare.length > 0) terms.push(bare);
    }
  });
  return terms;
}

function quote(term: string): string {
  return `"${term.replace(/"/g, '""')}"`;
}

/** Parses what a reader typed; control characters and FTS5 syntax are never passed through. */
export function parseSearchQuery(raw: string | undefined): ParsedSearch {
  const text = (raw ?? "").replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, " ").trim();
  if (text.length === 0) return { ok: false, problem: "empty" };
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, problem: "too_long" };
  const terms = [...new Set(splitTerms(text).map((t) => t.toLowerCase()))].slice(0, MAX_TERMS);
  if (terms.length === 0) return { ok: false, problem: "empty" };
  const long = terms.filter((t) => [...t].length >= MIN_TRIGRAM_LENGTH);
  return {
    ok: true,
    query: {
      text,
      match: long.length > 0 ? long.map(quote).join(" AND ") : null,
      shortTerms: terms.filter((t) => [...t].length < MIN_TRIGRAM_LENGTH),
      terms,
    },
  };
}

/** A LIKE pattern that matches the term anywhere, with LIKE's wildcards escaped (ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
