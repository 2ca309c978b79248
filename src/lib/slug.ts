const TRANSLITERATIONS: Record<string, string> = { ä: "ae", ö: "oe", ü: "ue", ß: "ss", æ: "ae", ø: "oe", œ: "oe" };

/**
 * A URL- and id-safe slug: lower case, German umlauts transliterated, other
 * accents dropped, anything else collapsed to single hyphens.
 */
export function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[äöüßæøœ]/g, (ch) => TRANSLITERATIONS[ch] ?? ch)
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export const SLUG_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
