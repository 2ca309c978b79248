// An article file: YAML front matter between "---" lines, then the Markdown
// body. Parsed and validated here into an ArticleSource, or into errors that
// name the file line, the field and the reason. Pure: runs in workerd (tests)
// and in Node (the publish CLI).
import { type Document, isAlias, isMap, isNode, isScalar, LineCounter, type Node, parseDocument } from "yaml";
import type { CommentsMode, Language } from "../db/schema";
import { slugify } from "../lib/slug";
import { FIELD_NAMES, type FieldName, type FieldTypes, parseField, suggestFieldName } from "./front-matter-fields";

/** One problem in one file; `line` is 1-based in the whole file. */
export interface SourceError {
  line: number;
  message: string;
}

/** What the site's wrangler vars contribute to reading a file. */
export interface SourceSettings {
  defaultLang: Language;
  /** IANA zone; a date without a time (YYYY-MM-DD) means midnight here. */
  timeZone: string;
}

export interface TagName {
  slug: string;
  name: string;
}

export interface ArticleFields {
  slug: string;
  title: string;
  /** Epoch ms; null when the file has no date (then: first publish time). */
  date: number | null;
  updated: number | null;
  summary: string | null;
  tags: TagName[];
  lang: Language;
  author: string | null;
  draft: boolean;
  comments: CommentsMode;
  aliases: string[];
  /** Shared by the translations of one article; null when it has none. */
  translationKey: string | null;
}

/** File lines of the fields that cross-file checks point at. */
export interface SourceLines {
  slug: number;
  tags: number[];
  aliases: number[];
  translationKey: number;
}

export interface ParsedFile {
  fields: ArticleFields;
  bodyMd: string;
  lines: SourceLines;
}

export interface ArticleSource extends ParsedFile {
  /** Path relative to the content directory, with forward slashes. */
  path: string;
  /** SHA-256 hex of the whole file text, as stored in articles.source_hash. */
  sourceHash: string;
  bodyHash: string;
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; errors: SourceError[] };

const FENCE = /^---[ \t]*$/;

/** Parses and validates one article file's text; `path` gives the default slug. */
export function parseFrontMatter(path: string, rawText: string, settings: SourceSettings): ParseResult<ParsedFile> {
  const text = rawText.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const nul = text.indexOf("\0");
  if (nul >= 0) return fail(lineOf(text, nul), "file: contains a NUL character (U+0000); remove it");
  const lines = text.split("\n");
  if (!FENCE.test(lines[0] ?? "")) return fail(1, 'front matter: missing; the file must start with a line "---"');
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (close < 0) return fail(1, "front matter: opened with --- on line 1 but never closed");
  const bodyMd = lines
    .slice(close + 1)
    .join("\n")
    .replace(/^(?:[ \t]*\n)+/, "")
    .trimEnd();
  const fields = readFields(lines.slice(1, close).join("\n"), path, settings);
  if (!fields.ok) return fields;
  if (bodyMd === "") return fail(close + 1, "body: empty; write the article below the closing ---");
  return { ok: true, value: { ...fields.value, bodyMd } };
}

/** parseFrontMatter plus the hashes the publisher compares and stores. */
export async function parseArticleFile(path: string, text: string, settings: SourceSettings): Promise<ParseResult<ArticleSource>> {
  const parsed = parseFrontMatter(path, text, settings);
  if (!parsed.ok) return parsed;
  const [sourceHash, bodyHash] = await Promise.all([sha256Hex(text), sha256Hex(parsed.value.bodyMd)]);
  return { ok: true, value: { ...parsed.value, path, sourceHash, bodyHash } };
}

// Not ../lib/crypto's: that module uses Workers-only Web Crypto, and this one runs in Node too.
async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function readFields(yaml: string, path: string, settings: SourceSettings): ParseResult<Omit<ParsedFile, "bodyMd">> {
  const counter = new LineCounter();
  const doc = parseDocument(yaml, { lineCounter: counter, schema: "core", prettyErrors: false, uniqueKeys: true });
  // +1: the YAML starts on the file's second line, after the opening ---.
  const lineAt = (offset: number) => counter.linePos(offset).line + 1;
  if (doc.errors.length > 0) {
    return { ok: false, errors: doc.errors.map((e) => ({ line: lineAt(e.pos[0]), message: `front matter: ${e.message.split("\n")[0]}` })) };
  }
  if (doc.contents !== null && !isMap(doc.contents)) return fail(2, 'front matter: must be "field: value" lines');
  const values: Partial<FieldTypes> = {};
  const keyLines: Partial<Record<FieldName, number>> = {};
  const errors: SourceError[] = [];
  for (const pair of doc.contents?.items ?? []) {
    const keyNode = isNode(pair.key) ? pair.key : null;
    const line = lineAt(keyNode?.range?.[0] ?? 0);
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    if (!isFieldName(key)) {
      errors.push({ line, message: unknownFieldMessage(key) });
      continue;
    }
    keyLines[key] = line;
    const value = isNode(pair.value) ? resolve(doc, pair.value) : null;
    errors.push(...parseField(key, value, { timeZone: settings.timeZone, line, lineAt }, values));
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return completeFields(values, keyLines, path, settings);
}

function completeFields(
  values: Partial<FieldTypes>,
  keyLines: Partial<Record<FieldName, number>>,
  path: string,
  settings: SourceSettings,
): ParseResult<Omit<ParsedFile, "bodyMd">> {
  if (values.title === undefined) return fail(1, "title: required");
  const slug = values.slug ?? slugify(path.replace(/^.*\//, "").replace(/\.md$/i, ""));
  if (slug === "") return fail(1, `slug: cannot derive one from the file name "${path}"; set slug: in the front matter`);
  const aliases = values.aliases ?? [];
  const own = aliases.find((a) => a.value === slug);
  if (own) return fail(own.line, `aliases: "${slug}" is the article's own slug`);
  const tags = values.tags ?? [];
  const fields: ArticleFields = {
    slug,
    title: values.title,
    date: values.date ?? null,
    updated: values.updated ?? null,
    summary: values.summary ?? null,
    tags: tags.map((t) => ({ slug: slugify(t.value), name: t.value })),
    lang: values.lang ?? settings.defaultLang,
    author: values.author ?? null,
    draft: values.draft ?? false,
    comments: values.comments ?? "open",
    aliases: aliases.map((a) => a.value),
    translationKey: values.translationKey ?? null,
  };
  const lines = {
    slug: keyLines.slug ?? 1,
    tags: tags.map((t) => t.line),
    aliases: aliases.map((a) => a.line),
    translationKey: keyLines.translationKey ?? 1,
  };
  return { ok: true, value: { fields, lines } };
}

function resolve(doc: Document, node: Node | null): Node | null {
  return isAlias(node) ? (node.resolve(doc) ?? null) : node;
}

function isFieldName(key: string): key is FieldName {
  return (FIELD_NAMES as readonly string[]).includes(key);
}

function unknownFieldMessage(key: string): string {
  const suggestion = suggestFieldName(key);
  const hint = suggestion ? `did you mean "${suggestion}"?` : `known fields: ${FIELD_NAMES.join(", ")}`;
  return `${key || "(empty key)"}: unknown field; ${hint}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function fail<T>(line: number, message: string): ParseResult<T> {
  return { ok: false, errors: [{ line, message }] };
}
