/**
 * Characters a reader cannot see that WordPress slugs and links can still
 * carry (pasted titles): zero-width space, joiners and marks, soft hyphen,
 * word joiner, byte-order mark, the Arabic letter mark, bidi embeddings,
 * overrides and isolates. They are dropped wherever a slug or an old URL is
 * compared.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g;
/** Spaces that do not break (NBSP, its narrow and figure forms): a space in a slug, so a hyphen. */
const NO_BREAK_SPACES = /[\u00a0\u2007\u202f]/g;

/** The text without invisible characters, its no-break spaces as hyphens: how slugs and old links are compared. */
export function stripInvisible(text: string): string {
  return text.replace(INVISIBLE, "").replace(NO_BREAK_SPACES, "-");
}

const TRANSLITERATIONS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", æ: "ae", ø: "oe", œ: "oe" };

/**
 * A URL- and id-safe slug: lower case, German umlauts transliterated, other
 * accents dropped, anything else collapsed to single hyphens.
 */
export function slugify(text: string): string {
  return stripInvisible(text)
    .toLowerCase()
    .replace(/[äöüßæøœ]/g, (ch) => TRANSLITERATIONS[ch] ?? ch)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
