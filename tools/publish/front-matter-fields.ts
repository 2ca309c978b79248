// The front matter fields as one valibot schema; each message says what is
// wrong with a value in words an editor can act on. Pure (workerd and Node).
import * as v from "valibot";
import { parseSiteDate } from "../../src/articles/site-dates";
import { COMMENTS_MODES, LANGUAGES, NAV_PLACES, PAGE_ROLES } from "../../src/db/schema";
import { SLUG_PATTERN, slugify } from "../../src/lib/slug";

const DATE_HINT = "(use YYYY-MM-DD or ISO 8601 with time zone)";

/** An article's stable id in its file (`id:`): what the publisher writes, or an editor's own of that form. */
const SOURCE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{7,63}$/;

/** The fields only pages (content/pages/*.md) have. */
export const PAGE_FIELD_NAMES: readonly string[] = ["nav", "navOrder", "role"];

/** The schema of the fields YAML gave, with dates read in the site's time zone. */
export function frontMatterSchema(timeZone: string) {
  const slugText = (what: string) =>
    v.pipe(
      text(200),
      v.check(
        (s) => s === null || SLUG_PATTERN.test(s),
        (i) => slugHint(String(i.input), what),
      ),
    );
  return v.object({
    title: v.pipe(
      text(200),
      v.check((s) => s !== null, "must not be empty"),
    ),
    slug: slugText("slug"),
    date: date(timeZone),
    updated: date(timeZone),
    summary: text(1000),
    tags: list(
      "[Internet, KMU]",
      slugify,
      (name) => slugify(name) !== "",
      (name) => `"${name}" needs at least one letter or digit`,
    ),
    lang: choice(LANGUAGES),
    author: text(200),
    draft: flag(),
    comments: choice(COMMENTS_MODES),
    aliases: list(
      "[old-slug]",
      (alias) => alias,
      (alias) => SLUG_PATTERN.test(alias),
      (alias) => slugHint(alias),
    ),
    // Articles with the same key are translations of one another (hreflang).
    translationKey: slugText("translation key"),
    image: imageUrl(),
    imageAlt: text(300),
    pinned: flag(),
    nav: choice(NAV_PLACES),
    navOrder: v.nullish(v.pipe(v.number(wholeNumberMessage), v.safeInteger(wholeNumberMessage))),
    role: choice(PAGE_ROLES),
    // Written by the publisher at a file's first publish; finds the article again after a rename or move.
    id: v.pipe(
      text(64),
      v.check(
        (s) => s === null || SOURCE_ID_PATTERN.test(s),
        (i) => `"${String(i.input)}" is not a valid id; use 8 to 64 letters, digits, "-" or "_" (or remove the line: publishing writes a new one)`,
      ),
    ),
  });
}
export type FrontMatterValues = v.InferOutput<ReturnType<typeof frontMatterSchema>>;

/** The fields of every file, in the order "known fields" lists them. */
export const ARTICLE_FIELD_NAMES = Object.keys(frontMatterSchema("UTC").entries).filter((name) => !PAGE_FIELD_NAMES.includes(name));

/** The known field an unknown key was probably meant to be, or null. */
export function suggestFieldName(key: string, names: readonly string[]): string | null {
  const lower = key.toLowerCase();
  return names.find((name) => editDistance(lower, name.toLowerCase()) <= 2) ?? null;
}

function flag() {
  return v.nullish(v.boolean((i) => `must be true or false, got ${describe(i.input)}`));
}

/** A path on this site (/media/2024/05/photo.jpg) or an https URL: what a page and og:image can load. */
function imageUrl() {
  return v.pipe(
    text(2000),
    v.check(
      (s) => s === null || isImageUrl(s),
      (i) => `"${i.input}" is neither a path on this site (e.g. /media/2024/05/photo.jpg) nor an https URL`,
    ),
  );
}

function isImageUrl(value: string): boolean {
  if (/[\s\\<>"'`]/.test(value) || /[\u0000-\u001f\u007f]/.test(value)) return false;
  if (value.startsWith("/")) return !value.startsWith("//");
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.hostname !== "";
  } catch {
    return false;
  }
}

/** Optional text, trimmed: blank means "not given" (null); numbers, lists and mappings are refused. */
function text(max: number) {
  return v.pipe(
    v.nullish(v.string((i) => `must be text, got ${describe(i.input)}${quoteHint(i.input)}`)),
    v.transform((s) => s?.trim() || null),
    v.check(
      (s) => (s?.length ?? 0) <= max,
      (i) => `too long (${String(i.input).length} characters, at most ${max})`,
    ),
  );
}

function date(timeZone: string) {
  return v.pipe(
    v.optional(v.unknown()),
    v.check(
      (x) => x === null || typeof x !== "object",
      (i) => `must be a date ${DATE_HINT}, got ${describe(i.input)}`,
    ),
    v.transform((x) => (x === null || x === undefined || x === "" ? null : String(x))),
    v.check(
      (s) => s === null || parseSiteDate(s.trim(), timeZone) !== null,
      (i) => `not a valid date "${i.input}" ${DATE_HINT}`,
    ),
    v.transform((s) => (s === null ? null : parseSiteDate(s.trim(), timeZone))),
  );
}

function choice<T extends string>(options: readonly T[]) {
  const expected = options.map((c) => `"${c}"`).join(" or ");
  return v.pipe(
    v.optional(v.unknown()),
    v.transform((x) => (x === "" ? null : x)),
    v.nullish(v.picklist(options, (i) => `must be ${expected}, got ${describe(i.input)}`)),
  );
}

/** A list of trimmed, non-empty texts that pass `isValid`, none twice (compared by `keyOf`). */
function list(example: string, keyOf: (item: string) => string, isValid: (item: string) => boolean, problem: (item: string) => string) {
  const item = v.pipe(
    v.string((i) => `each entry must be text, got ${describe(i.input)}${quoteHint(i.input)}`),
    v.trim(),
    v.nonEmpty("each entry must be text, got nothing"),
    v.check(isValid, (i) => problem(String(i.input))),
  );
  return v.pipe(
    v.nullish(v.array(item, `must be a list, e.g. ${example}`)),
    v.transform((items) => items ?? []),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      dataset.value.forEach((value, key, items) => {
        const earlier = items.slice(0, key).find((other) => keyOf(other) === keyOf(value));
        if (earlier === undefined) return;
        const message = earlier === value ? `"${value}" is listed twice` : `"${value}" is the same as "${earlier}"`;
        addIssue({ message, path: [{ type: "array", origin: "value", input: items, key, value }] });
      });
    }),
  );
}

function wholeNumberMessage(issue: { input: unknown }): string {
  return `must be a whole number, e.g. 10, got ${describe(issue.input)}`;
}

/** A value as YAML gave it, the way a message quotes it. */
function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object" && value !== null) return "a mapping";
  if (value === null || value === undefined || value === "") return "nothing";
  return typeof value === "string" ? `"${value}"` : String(value);
}

function quoteHint(value: unknown): string {
  return typeof value === "number" || typeof value === "boolean" ? "; put it in quotes" : "";
}

function slugHint(value: string, what = "slug"): string {
  return `"${value}" is not a valid ${what}; use lower-case letters, digits and single hyphens, e.g. "${slugify(value) || "my-article"}"`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
