// A reader's search box input, turned into what the index can answer. Pure.
//
// The index (migrations/0009_search.sql) uses trigram tokens: every term of
// three or more characters becomes a quoted FTS5 string, which matches it as a
// substring anywhere in a word ("market" finds "Onlinemarketing"). Quoted
// phrases stay phrases. Everything the reader types is quoted, so no input is
// FTS5 syntax and no query can fail to parse. Shorter terms ("KI", "IT")
// cannot be trigram-matched: they are matched with LIKE instead. German words
// are searched by their stem in each way readers spell them (see germanSpellings).

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

// German as readers type it. The index folds case and diacritics ("Möglichkeiten" is read as
// "moglichkeiten"); readers also write umlauts as ae/oe/ue and ß as ss, and search for
// one inflected form of a word. A word is therefore searched by its stem (a trigram
// substring match finds every form built on it) in each spelling it may have.
/** Endings cut from a word of at least MIN_STEMMED_LENGTH characters, longest first, leaving at least MIN_STEM_LENGTH. */
const ENDINGS = ["ern", "en", "er", "es", "em", "e", "n", "s"];
const MIN_STEMMED_LENGTH = 6;
const MIN_STEM_LENGTH = 4;

/** The word without its inflection ending: "unternehmens" → "unternehmen", "werkstätten" → "werkstätt". Phrases stay whole. */
function stemWord(term: string): string {
  if (/\s/.test(term)) return term;
  const length = [...term].length;
  if (length < MIN_STEMMED_LENGTH) return term;
  for (const ending of ENDINGS) {
    if (term.endsWith(ending) && length - ending.length >= MIN_STEM_LENGTH) return term.slice(0, -ending.length);
  }
  return term;
}

/** The spellings a term may have in the text: ae/oe/ue for ä/ö/ü (folded to a/o/u as the index does), ss for ß and back. */
function germanSpellings(term: string): string[] {
  const spellings = new Set([term]);
  const umlauts = term.replace(/ae/g, "a").replace(/oe/g, "o").replace(/ue/g, "u");
  // A short result ("neue" → "nue") would match unrelated words; only longer words are read this way.
  if (umlauts !== term && [...umlauts].length >= 4) spellings.add(umlauts);
  for (const spelling of [...spellings]) {
    if (spelling.includes("ss")) spellings.add(spelling.replace(/ss/g, "ß"));
    if (spelling.includes("ß")) spellings.add(spelling.replace(/ß/g, "ss"));
  }
  return [...spellings].filter((s) => [...s].length >= MIN_TRIGRAM_LENGTH);
}

/** One term as an FTS5 expression: its stem in every spelling, any of them matching. */
function termExpression(term: string): { expression: string; spellings: string[] } {
  const spellings = germanSpellings(stemWord(term));
  const quoted = spellings.map(quote);
  return { expression: quoted.length === 1 ? (quoted[0] ?? quote(term)) : `(${quoted.join(" OR ")})`, spellings };
}

/** Parses what a reader typed; control characters and FTS5 syntax are never passed through. */
export function parseSearchQuery(raw: string | undefined): ParsedSearch {
  const text = (raw ?? "").replace(/[\p{Cc}\p{Cf}\p{Co}\p{Cs}]/gu, " ").trim();
  if (text.length === 0) return { ok: false, problem: "empty" };
  if (text.length > MAX_QUERY_LENGTH) return { ok: false, problem: "too_long" };
  const terms = [...new Set(splitTerms(text).map((t) => t.toLowerCase()))].slice(0, MAX_TERMS);
  if (terms.length === 0) return { ok: false, problem: "empty" };
  const long = terms.filter((t) => [...t].length >= MIN_TRIGRAM_LENGTH).map(termExpression);
  const shortTerms = terms.filter((t) => [...t].length < MIN_TRIGRAM_LENGTH);
  return {
    ok: true,
    query: {
      text,
      match: long.length > 0 ? long.map((t) => t.expression).join(" AND ") : null,
      shortTerms,
      // The snippet marks what the index matched: each stem in each spelling.
      terms: [...new Set([...long.flatMap((t) => t.spellings), ...shortTerms])],
    },
  };
}

/** A LIKE pattern that matches the term anywhere, with LIKE's wildcards escaped (ESCAPE '\'). */
export function likePattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}
