// An article file: YAML front matter between "---" lines, then the Markdown
// body. Parsed and validated here into an ArticleSource, or into errors that
// name the file line, the field and the reason. Pure: runs in workerd (tests)
// and in Node (the publish CLI).
import * as v from "valibot";
import { type Document, isAlias, isMap, isNode, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { CommentsMode, Language, NavPlace, PageRole } from "../../src/db/schema";
import { slugify } from "../../src/lib/slug";
import { ARTICLE_FIELD_NAMES, type FrontMatterValues, frontMatterSchema, PAGE_FIELD_NAMES, suggestFieldName } from "./front-matter-fields";

/** The folder of the content directory that holds the static pages. */
export const PAGES_DIR = "pages";

/** One problem in one file; `line` is 1-based in the whole file. */
interface SourceError {
  line: number;
  message: string;
}

/** What the site's wrangler vars contribute to reading a file. */
export interface SourceSettings {
  defaultLang: Language;
  /** IANA zone; a date without a time (YYYY-MM-DD) means midnight here. */
  timeZone: string;
}

interface TagName {
  slug: string;
  name: string;
}

interface ArticleFields {
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
  /** The file's stable id (`id:`), written by its first publish; null until then. */
  id: string | null;
  /** The article's own image: a site path or an https URL, with its text alternative; null when it has none. */
  image: { url: string; alt: string | null } | null;
  /** Leads the home page. */
  pinned: boolean;
  /** Only on pages (content/pages/*.md): where navigation links them, and the legal role they fill. */
  page?: { nav: NavPlace | null; navOrder: number | null; role: PageRole | null };
}

/** File lines of the fields that cross-file checks point at. */
interface SourceLines {
  slug: number;
  tags: number[];
  aliases: number[];
  translationKey: number;
  id: number;
  /** Pages only. */
  role?: number;
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
  /** The image's size in pixels, when it is a file under the content folder that publish could measure. */
  imageSize?: { width: number; height: number } | null;
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
  const isPage = isPagePath(path);
  const { values, keys, errors } = collectFields(doc, isPage ? [...ARTICLE_FIELD_NAMES, ...PAGE_FIELD_NAMES] : ARTICLE_FIELD_NAMES, lineAt);
  const parsed = v.safeParse(frontMatterSchema(settings.timeZone), values);
  if (!parsed.success) errors.push(...parsed.issues.map((issue) => toSourceError(issue, keys, lineAt)));
  if (errors.length > 0 || !parsed.success) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  const lines = (key: string) => keys.get(key)?.line ?? 1;
  const itemLines = (key: string) => {
    const node = keys.get(key)?.node;
    return isSeq(node) ? node.items.map((item) => (isNode(item) && item.range ? lineAt(item.range[0]) : lines(key))) : [];
  };
  const sourceLines: SourceLines = {
    slug: lines("slug"),
    tags: itemLines("tags"),
    aliases: itemLines("aliases"),
    translationKey: lines("translationKey"),
    id: lines("id"),
  };
  if (isPage) sourceLines.role = lines("role");
  return completeFields(parsed.output, sourceLines, path, settings, lines);
}

type FieldKeys = Map<string, { line: number; node: unknown }>;

/** The known fields' values as plain data for the schema, their lines and nodes, and an error per unknown key. */
function collectFields(doc: Document, known: readonly string[], lineAt: (offset: number) => number) {
  // Null prototype: a key named __proto__ or constructor is data here, and valibot only reads the known keys.
  const values: Record<string, unknown> = Object.create(null);
  const keys: FieldKeys = new Map();
  const errors: SourceError[] = [];
  for (const pair of isMap(doc.contents) ? doc.contents.items : []) {
    const keyNode = isNode(pair.key) ? pair.key : null;
    const line = lineAt(keyNode?.range?.[0] ?? 0);
    const key = isScalar(keyNode) ? String(keyNode.value) : "";
    if (!known.includes(key)) {
      errors.push({ line, message: unknownFieldMessage(key, known) });
      continue;
    }
    const node = isAlias(pair.value) ? pair.value.resolve(doc) : pair.value;
    try {
      values[key] = isNode(node) ? node.toJS(doc) : null;
      keys.set(key, { line, node });
    } catch {
      // yaml refuses aliases that expand past its limit (a "billion laughs" file).
      errors.push({ line, message: `${key}: too many YAML aliases (*name); write the value out` });
    }
  }
  return { values, keys, errors };
}

function completeFields(
  values: FrontMatterValues,
  lines: SourceLines,
  path: string,
  settings: SourceSettings,
  lineOf: (key: string) => number,
): ParseResult<Omit<ParsedFile, "bodyMd">> {
  if (values.title === undefined || values.title === null) return fail(1, "title: required");
  const slug = values.slug ?? slugify(path.replace(/^.*\//, "").replace(/\.md$/i, ""));
  if (slug === "") return fail(1, `slug: cannot derive one from the file name "${path}"; set slug: in the front matter`);
  const aliases = values.aliases ?? [];
  const own = aliases.indexOf(slug);
  if (own >= 0) return fail(lines.aliases[own] ?? 1, `aliases: "${slug}" is the article's own slug`);
  const isPage = isPagePath(path);
  if (values.imageAlt && !values.image) return fail(lineOf("imageAlt"), "imageAlt: describes the image, but there is no image: field");
  if (values.pinned && isPage) return fail(lineOf("pinned"), "pinned: only articles are listed on the home page; remove it from this page");
  const fields: ArticleFields = {
    slug,
    title: values.title,
    date: values.date ?? null,
    updated: values.updated ?? null,
    summary: values.summary ?? null,
    tags: (values.tags ?? []).map((name) => ({ slug: slugify(name), name })),
    lang: values.lang ?? settings.defaultLang,
    author: values.author ?? null,
    draft: values.draft ?? false,
    // A page (Impressum, Datenschutz) has no comment form unless its file asks for one.
    comments: values.comments ?? (isPage ? "closed" : "open"),
    aliases,
    translationKey: values.translationKey ?? null,
    id: values.id ?? null,
    image: values.image ? { url: values.image, alt: values.imageAlt ?? null } : null,
    pinned: values.pinned ?? false,
    ...(isPage ? { page: { nav: values.nav ?? null, navOrder: values.navOrder ?? null, role: values.role ?? null } } : {}),
  };
  return { ok: true, value: { fields, lines } };
}

/** Pages are the files in the content directory's pages/ folder. */
function isPagePath(path: string): boolean {
  return path.startsWith(`${PAGES_DIR}/`);
}

function toSourceError(issue: v.BaseIssue<unknown>, keys: FieldKeys, lineAt: (offset: number) => number): SourceError {
  const [field, item] = issue.path ?? [];
  const key = String(field?.key ?? "front matter");
  const entry = keys.get(key);
  const itemNode = isSeq(entry?.node) && typeof item?.key === "number" ? entry.node.items[item.key] : null;
  const line = isNode(itemNode) && itemNode.range ? lineAt(itemNode.range[0]) : (entry?.line ?? 1);
  return { line, message: `${key}: ${issue.message}` };
}

function unknownFieldMessage(key: string, known: readonly string[]): string {
  if (PAGE_FIELD_NAMES.includes(key) && !known.includes(key)) {
    return `${key}: only pages have this field; move the file into ${PAGES_DIR}/`;
  }
  const suggestion = suggestFieldName(key, known);
  const hint = suggestion ? `did you mean "${suggestion}"?` : `known fields: ${known.join(", ")}`;
  return `${key || "(empty key)"}: unknown field; ${hint}`;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function fail<T>(line: number, message: string): ParseResult<T> {
  return { ok: false, errors: [{ line, message }] };
}
