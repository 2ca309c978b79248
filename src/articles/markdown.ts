// The one configured Markdown renderer. The Worker, the publish CLI and the
// tests all render through renderArticleHtml, so HTML made at publish time is
// byte-for-byte what the Worker would make.
import { Marked, type Tokens } from "marked";
import { escapeHtml, htmlToPlainText, htmlToText, truncateText } from "../lib/html";
import { slugify } from "../lib/slug";

/** Bump when the rendering changes, so stored HTML is rendered again. */
// md2: the plain text (body_text, for search) is stored beside the HTML.
export const RENDERER_VERSION = "md2";

const EXCERPT_LENGTH = 240;

// Heading ids must be unique within one document; marked renders synchronously,
// so this per-render set is safe to share.
let headingIds = new Set<string>();

function uniqueHeadingId(text: string): string {
  const base = slugify(text) || "abschnitt";
  let id = base;
  for (let n = 2; headingIds.has(id); n++) id = `${base}-${n}`;
  headingIds.add(id);
  return id;
}

const marked = new Marked({
  gfm: true,
  renderer: {
    heading({ tokens, depth, text }: Tokens.Heading) {
      const id = uniqueHeadingId(htmlToText(text));
      return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    image({ href, title, text }: Tokens.Image) {
      const titleAttr = title ? ` title="${escapeHtml(title)}"` : "";
      return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr} loading="lazy" decoding="async">`;
    },
  },
});

/** The version string stored beside HTML rendered from a body with this hash. */
export function htmlVersionFor(bodyHash: string): string {
  return `${RENDERER_VERSION}:${bodyHash}`;
}

export interface RenderedArticle {
  html: string;
  excerpt: string;
  /** The whole body as plain text (stored as body_text: the search index and snippets read it). */
  text: string;
}

/** Renders an article's Markdown to HTML, a plain-text excerpt of its opening paragraphs and the plain text of it all. */
export function renderArticleHtml(markdown: string): RenderedArticle {
  headingIds = new Set();
  const html = marked.parse(markdown, { async: false });
  return { html, excerpt: excerptFromHtml(html), text: htmlToPlainText(html) };
}

function excerptFromHtml(html: string): string {
  const paragraphs = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => htmlToText(m[1] ?? "")).filter((p) => p.length > 0);
  return truncateText(paragraphs.join(" "), EXCERPT_LENGTH);
}
