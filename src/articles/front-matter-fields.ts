// The front matter fields: one parser per field, each saying what is wrong
// with a value in words an editor can act on. Pure (workerd and Node).
import { isMap, isNode, isScalar, isSeq, type Node } from "yaml";
import { COMMENTS_MODES, type CommentsMode, LANGUAGES, type Language } from "../db/schema";
import { SLUG_PATTERN, slugify } from "../lib/slug";
import { parseSiteDate } from "./site-dates";

export interface ListItem {
  value: string;
  line: number;
}

export interface FieldTypes {
  title: string;
  slug: string;
  date: number;
  updated: number;
  summary: string;
  tags: ListItem[];
  lang: Language;
  author: string;
  draft: boolean;
  comments: CommentsMode;
  aliases: ListItem[];
  translationKey: string;
}
export type FieldName = keyof FieldTypes;

export const FIELD_NAMES: readonly FieldName[] = [
  "title",
  "slug",
  "date",
  "updated",
  "summary",
  "tags",
  "lang",
  "author",
  "draft",
  "comments",
  "aliases",
  "translationKey",
];

export interface FieldContext {
  timeZone: string;
  /** File line of the field's key. */
  line: number;
  /** File line of an offset into the YAML text. */
  lineAt(offset: number): number;
}

interface FieldError {
  line: number;
  message: string;
}
type FieldResult<T> = { ok: true; value: T | null } | { ok: false; errors: FieldError[] };
type FieldParser<T> = (node: Node | null, ctx: FieldContext) => FieldResult<T>;

const DATE_HINT = "(use YYYY-MM-DD or ISO 8601 with time zone)";

const PARSERS: { [K in FieldName]: FieldParser<FieldTypes[K]> } = {
  title: parseText(200, true),
  slug: (node, ctx) => checkText(parseText(200)(node, ctx), ctx, (s) => (SLUG_PATTERN.test(s) ? null : slugHint(s))),
  // Articles with the same key are translations of one another (hreflang).
  translationKey: (node, ctx) => checkText(parseText(200)(node, ctx), ctx, (s) => (SLUG_PATTERN.test(s) ? null : slugHint(s, "translation key"))),
  date: parseDate,
  updated: parseDate,
  summary: parseText(1000),
  tags: parseList("[Internet, KMU]", (name) => (slugify(name) ? null : `"${name}" needs at least one letter or digit`), slugify),
  lang: parseChoice(LANGUAGES),
  author: parseText(200),
  draft: parseBoolean,
  comments: parseChoice(COMMENTS_MODES),
  aliases: parseList(
    "[old-slug]",
    (alias) => (SLUG_PATTERN.test(alias) ? null : slugHint(alias)),
    (alias) => alias,
  ),
};

/** Parses one field's value into `values`; returns its errors, each message prefixed with the field name. */
export function parseField<K extends FieldName>(key: K, node: Node | null, ctx: FieldContext, values: Partial<FieldTypes>): FieldError[] {
  const result = PARSERS[key](node, ctx);
  if (!result.ok) return result.errors.map((e) => ({ line: e.line, message: `${key}: ${e.message}` }));
  if (result.value !== null) values[key] = result.value;
  return [];
}

/** The known field an unknown key was probably meant to be, or null. */
export function suggestFieldName(key: string): string | null {
  const lower = key.toLowerCase();
  return FIELD_NAMES.find((name) => editDistance(lower, name) <= 2) ?? null;
}

function parseText(max: number, required = false): FieldParser<string> {
  return (node, ctx) => {
    if (node !== null && !isScalar(node)) return fail(ctx, `must be text, got ${describe(node)}`);
    const value = node?.value ?? null;
    if (value === null || (typeof value === "string" && value.trim() === "")) {
      return required ? fail(ctx, "must not be empty") : { ok: true, value: null };
    }
    if (typeof value !== "string") return fail(ctx, `must be text, got ${String(value)}; put it in quotes`);
    const text = value.trim();
    if (text.length > max) return fail(ctx, `too long (${text.length} characters, at most ${max})`);
    return { ok: true, value: text };
  };
}

function checkText(result: FieldResult<string>, ctx: FieldContext, check: (s: string) => string | null): FieldResult<string> {
  const problem = result.ok && result.value !== null ? check(result.value) : null;
  return problem ? fail(ctx, problem) : result;
}

function parseDate(node: Node | null, ctx: FieldContext): FieldResult<number> {
  if (node !== null && !isScalar(node)) return fail(ctx, `must be a date ${DATE_HINT}, got ${describe(node)}`);
  const value = node?.value ?? null;
  if (value === null || value === "") return { ok: true, value: null };
  const time = typeof value === "string" ? parseSiteDate(value.trim(), ctx.timeZone) : null;
  return time === null ? fail(ctx, `not a valid date "${String(value)}" ${DATE_HINT}`) : { ok: true, value: time };
}

function parseChoice<T extends string>(choices: readonly T[]): FieldParser<T> {
  const expected = choices.map((c) => `"${c}"`).join(" or ");
  return (node, ctx) => {
    const value = isScalar(node) ? node.value : null;
    if (node !== null && !isScalar(node)) return fail(ctx, `must be ${expected}, got ${describe(node)}`);
    if (value === null || value === "") return { ok: true, value: null };
    const found = choices.find((c) => c === value);
    return found ? { ok: true, value: found } : fail(ctx, `must be ${expected}, got ${describe(node)}`);
  };
}

function parseBoolean(node: Node | null, ctx: FieldContext): FieldResult<boolean> {
  const value = isScalar(node) ? node.value : undefined;
  if (node === null || value === null) return { ok: true, value: null };
  return typeof value === "boolean" ? { ok: true, value } : fail(ctx, `must be true or false, got ${describe(node)}`);
}

function parseList(example: string, check: (item: string) => string | null, key: (item: string) => string): FieldParser<ListItem[]> {
  return (node, ctx) => {
    if (node === null || (isScalar(node) && node.value === null)) return { ok: true, value: [] };
    if (!isSeq(node)) return fail(ctx, `must be a list, e.g. ${example}`);
    const items: ListItem[] = [];
    const errors: FieldError[] = [];
    for (const entry of node.items) {
      const item = isNode(entry) ? entry : null;
      const line = ctx.lineAt(item?.range?.[0] ?? node.range?.[0] ?? 0);
      const value = isScalar(item) && typeof item.value === "string" ? item.value.trim() : "";
      const problem = value === "" ? `each entry must be text, got ${describe(item)}${quoteHint(item)}` : (check(value) ?? repeatProblem(items, value, key));
      if (problem) errors.push({ line, message: problem });
      else items.push({ value, line });
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value: items };
  };
}

function repeatProblem(items: ListItem[], value: string, key: (item: string) => string): string | null {
  const earlier = items.find((item) => key(item.value) === key(value))?.value;
  if (earlier === undefined) return null;
  return earlier === value ? `"${value}" is listed twice` : `"${value}" is the same as "${earlier}"`;
}

function quoteHint(node: Node | null): string {
  return isScalar(node) && (typeof node.value === "number" || typeof node.value === "boolean") ? "; put it in quotes" : "";
}

function slugHint(value: string, what = "slug"): string {
  return `"${value}" is not a valid ${what}; use lower-case letters, digits and single hyphens, e.g. "${slugify(value) || "my-article"}"`;
}

function describe(node: Node | null): string {
  if (isSeq(node)) return "a list";
  if (isMap(node)) return "a mapping";
  if (!isScalar(node) || node.value === null || node.value === "") return "nothing";
  return typeof node.value === "string" ? `"${node.value}"` : String(node.value);
}

function fail<T>(ctx: FieldContext, message: string): FieldResult<T> {
  return { ok: false, errors: [{ line: ctx.line, message }] };
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
