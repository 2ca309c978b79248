// Turns a reader's comment text into safe HTML.
//
// Nothing of the input is passed through: the text is tokenized, every tag
// that is not exactly one of the allowed tags is escaped as text, and the
// allowed ones are written anew from their parsed, checked attributes. Tags
// are balanced (a reader's unclosed <b> cannot leak into the page), links get
// rel="nofollow ugc noopener", and only http, https and mailto URLs and paths
// on this site survive.
// Blank lines make paragraphs, single newlines line breaks, bare URLs links.
//
// The HTML stays within a small multiple of the text (about ten times, at worst
// for a bare URL full of "&"), so the longest comment the form takes renders
// far under D1's value limit: nesting is capped, and inline tags carried over a
// paragraph break are written again only while that costs no more, in all,
// than the comment's own size.
import { escapeHtml } from "../lib/html";

/** Tags and attributes a comment may use: the list the comment form shows. */
export const COMMENT_TAGS: Readonly<Record<string, readonly string[]>> = {
  a: ["href", "title"],
  abbr: ["title"],
  acronym: ["title"],
  b: [],
  blockquote: ["cite"],
  cite: [],
  code: [],
  del: ["datetime"],
  em: [],
  i: [],
  q: ["cite"],
  strike: [],
  strong: [],
};

// Looked up by tag names a reader typed: a Map, so "constructor" or "__proto__" is just another unknown tag.
const ALLOWED_TAGS: ReadonlyMap<string, readonly string[]> = new Map(Object.entries(COMMENT_TAGS));

const URL_ATTRIBUTES = new Set(["href", "cite"]);
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);
const LINK_REL = "nofollow ugc noopener";
/** How deeply a reader's tags may nest (carried ones included); deeper ones stay text. */
export const MAX_TAG_DEPTH = 16;

const OPEN_TAG = /^<([a-zA-Z]+)((?:\s+[a-zA-Z][a-zA-Z-]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>=`]+))?)*)\s*\/?>/;
const CLOSE_TAG = /^<\/([a-zA-Z]+)\s*>/;
const ATTRIBUTE = /([a-zA-Z][a-zA-Z-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>=`]+)))?/g;
const BARE_URL = /\bhttps?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?)\]}'"»“”]+$/;

/** An http(s) or mailto URL in canonical form, or null for anything else. */
export function parseSafeUrl(value: string): string | null {
  const trimmed = value.replace(/[\u0000-\u0020\u007f-\u009f]+/g, "");
  if (!/^(https?:\/\/|mailto:)/i.test(trimmed)) return null;
  try {
    const url = new URL(trimmed);
    return SAFE_PROTOCOLS.has(url.protocol) ? url.href : null;
  } catch {
    return null;
  }
}

/**
 * A path on this site ("/articles/x#comment-2"): what an imported comment's
 * links to the old site's own posts became. Nothing a browser could read as
 * another host ("//", "/\\") and no white space or control character, which
 * browsers drop from a URL before they read it.
 */
function parseSitePath(value: string): string | null {
  return /^\/(?![/\\])[^\s\\<>"'`\u0000-\u001f\u007f-\u009f]*$/.test(value) ? value : null;
}

const NAMED_ENTITIES = new Map([
  ["amp", "&"],
  ["lt", "<"],
  ["gt", ">"],
  ["quot", '"'],
  ["apos", "'"],
]);

function decodeAttribute(value: string): string {
  return value
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, hex: string) => safeCodePoint(parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => safeCodePoint(Number(dec)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, name: string) => NAMED_ENTITIES.get(name) ?? "");
}

function safeCodePoint(code: number): string {
  return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : "\ufffd";
}

/** The attributes of an allowed tag, checked and re-escaped; null if the tag must not be written. */
function buildAttributes(tag: string, source: string): string {
  const allowed = ALLOWED_TAGS.get(tag) ?? [];
  const kept = new Map<string, string>();
  for (const m of source.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? "").toLowerCase();
    if (!allowed.includes(name) || kept.has(name)) continue;
    const value = decodeAttribute(m[2] ?? m[3] ?? m[4] ?? "");
    const safe = URL_ATTRIBUTES.has(name) ? (parseSafeUrl(value) ?? parseSitePath(value)) : value;
    if (safe !== null) kept.set(name, safe);
  }
  if (tag === "a") kept.set("rel", LINK_REL);
  return [...kept].map(([name, value]) => ` ${name}="${escapeHtml(value)}"`).join("");
}

const utf8 = new TextEncoder();

interface OpenTag {
  name: string;
  html: string;
  /** UTF-8 bytes it writes when opened and closed again; measured when first carried. */
  cost?: number;
}

function measureTag(tag: OpenTag): number {
  tag.cost ??= utf8.encode(tag.html).byteLength + `</${tag.name}>`.length;
  return tag.cost;
}

class CommentWriter {
  private out: string[] = [];
  /** Open tags, outermost first; blockquotes are the only block-level ones. */
  private stack: OpenTag[] = [];
  private paragraphOpen = false;
  /** Inline tags closed at a paragraph break, to reopen with the next text. */
  private carried: OpenTag[] = [];

  /**
   * @param reopenBudget bytes that re-opening carried tags may write, in all.
   * A re-opening writes tags again without reading more input: unlimited,
   * every short paragraph after unclosed tags would write them all again,
   * attributes and all, and three bytes of text could cost kilobytes of HTML.
   */
  constructor(private reopenBudget: number) {}

  private inlineTail(): OpenTag[] {
    const lastBlock = this.stack.map((t) => t.name).lastIndexOf("blockquote");
    return this.stack.slice(lastBlock + 1);
  }

  private ensureParagraph(): void {
    if (this.paragraphOpen) return;
    this.out.push("<p>");
    this.paragraphOpen = true;
    for (const tag of this.carried) {
      // Past the budget the rest end at the paragraph break, as if closed there.
      const cost = measureTag(tag);
      if (cost > this.reopenBudget) break;
      this.reopenBudget -= cost;
      this.out.push(tag.html);
      this.stack.push(tag);
    }
    this.carried = [];
  }

  private endParagraph(): void {
    if (!this.paragraphOpen) return;
    const inline = this.inlineTail();
    for (let i = inline.length - 1; i >= 0; i--) this.out.push(`</${inline[i]?.name}>`);
    this.stack.length -= inline.length;
    this.carried = inline;
    this.out.push("</p>");
    this.paragraphOpen = false;
  }

  text(text: string): void {
    const paragraphs = text.replace(/\r\n?/g, "\n").split(/\n[ \t]*\n\s*/);
    paragraphs.forEach((chunk, index) => {
      if (index > 0) this.endParagraph();
      const lines = chunk.split("\n");
      lines.forEach((line, lineIndex) => {
        const content = this.paragraphOpen ? line : line.replace(/^\s+/, "");
        if (lineIndex > 0 && this.paragraphOpen) this.out.push("<br>");
        if (content.trim() === "" && !this.paragraphOpen) return;
        this.ensureParagraph();
        this.out.push(this.insideLink() ? escapeHtml(content) : linkBareUrls(content));
      });
    });
  }

  private insideLink(): boolean {
    return this.stack.some((t) => t.name === "a") || this.carried.some((t) => t.name === "a");
  }

  open(name: string, rawAttributes: string, source: string): void {
    const nested = name === "a" && this.insideLink();
    const blockInInline = name === "blockquote" && (this.inlineTail().length > 0 || this.carried.length > 0);
    // Carried tags count: the next paragraph opens them again.
    if (nested || blockInInline || this.stack.length + this.carried.length >= MAX_TAG_DEPTH) {
      this.text(source);
      return;
    }
    const tag = { name, html: `<${name}${buildAttributes(name, rawAttributes)}>` };
    if (name === "blockquote") this.endParagraph();
    else this.ensureParagraph();
    this.out.push(tag.html);
    this.stack.push(tag);
  }

  close(name: string, source: string): void {
    const index = this.stack.map((t) => t.name).lastIndexOf(name);
    const carriedIndex = this.carried.map((t) => t.name).lastIndexOf(name);
    if (index === -1) {
      if (carriedIndex !== -1) this.carried.splice(carriedIndex, 1);
      else this.text(source);
      return;
    }
    if (name === "blockquote") this.endParagraph();
    this.carried = [];
    while (this.stack.length > index) {
      const tag = this.stack.pop();
      if (tag?.name === "blockquote" && this.paragraphOpen) this.endParagraph();
      this.out.push(`</${tag?.name}>`);
    }
  }

  finish(): string {
    this.endParagraph();
    this.carried = [];
    while (this.stack.length > 0) this.out.push(`</${this.stack.pop()?.name}>`);
    return this.out.join("");
  }
}

function linkBareUrls(text: string): string {
  let html = "";
  let last = 0;
  for (const m of text.matchAll(BARE_URL)) {
    const candidate = m[0].replace(TRAILING_PUNCTUATION, "");
    const url = parseSafeUrl(candidate);
    if (!url) continue;
    html += escapeHtml(text.slice(last, m.index));
    html += `<a href="${escapeHtml(url)}" rel="${LINK_REL}">${escapeHtml(candidate)}</a>`;
    last = (m.index ?? 0) + candidate.length;
  }
  return html + escapeHtml(text.slice(last));
}

/** Renders a comment's raw text as safe HTML (see the file comment for the rules). */
export function renderCommentHtml(raw: string): string {
  const writer = new CommentWriter(utf8.encode(raw).byteLength);
  let rest = raw.trim();
  while (rest.length > 0) {
    const lt = rest.indexOf("<");
    if (lt === -1) {
      writer.text(rest);
      break;
    }
    if (lt > 0) writer.text(rest.slice(0, lt));
    rest = rest.slice(lt);
    const open = OPEN_TAG.exec(rest);
    const close = open ? null : CLOSE_TAG.exec(rest);
    const name = (open?.[1] ?? close?.[1] ?? "").toLowerCase();
    const match = open ?? close;
    if (match && ALLOWED_TAGS.has(name)) {
      if (open) writer.open(name, open[2] ?? "", match[0]);
      else writer.close(name, match[0]);
      rest = rest.slice(match[0].length);
    } else {
      writer.text("<");
      rest = rest.slice(1);
    }
  }
  return writer.finish();
}

/** How many links a comment's HTML holds (written anchors and linked bare URLs alike). */
export function countLinks(html: string): number {
  return html.match(/<a href=/g)?.length ?? 0;
}
