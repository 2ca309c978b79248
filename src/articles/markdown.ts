// The one configured Markdown renderer. The Worker, the publish CLI and the
// tests all render through renderArticleHtml, so HTML made at publish time is
// byte-for-byte what the Worker would make.
import { Marked, type Token, type Tokens } from "marked";
import { escapeHtml, htmlToPlainText, htmlToText, truncateText } from "../lib/html";
import { slugify } from "../lib/slug";
import { findEmbed, renderEmbed } from "./embeds";
import { footnotes, resetFootnotes } from "./footnotes";

/** Bump when the rendering changes, so stored HTML is rendered again. */
// md2: the plain text (body_text, for search) is stored beside the HTML.
// md3: images on other hosts become links.
// md4: embeds (a provider's URL on its own line), galleries (a paragraph of images) and footnotes.
export const RENDERER_VERSION = "md4";

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

function imageHtml({ href, title, text }: Tokens.Image, withTitle: boolean): string {
  const outside = outsideHost(href);
  // An image on another host is not loaded (the CSP forbids it too): the reader gets a link and decides.
  if (outside !== null) return `<a class="outside-image" href="${escapeHtml(href)}" rel="noopener">${escapeHtml(text || href)} (${escapeHtml(outside)})</a>`;
  const titleAttr = title && withTitle ? ` title="${escapeHtml(title)}"` : "";
  return `<img src="${escapeHtml(href)}" alt="${escapeHtml(text)}"${titleAttr} loading="lazy" decoding="async">`;
}

/** A paragraph that is one link written as its own address (a bare URL or <URL>), when a provider plays it. */
function embedOf(tokens: Token[]): string | null {
  const [only, ...rest] = tokens;
  if (!only || rest.length > 0 || only.type !== "link") return null;
  const { href, raw } = only as Tokens.Link;
  if (raw !== href && raw !== `<${href}>`) return null;
  const embed = findEmbed(href);
  return embed ? renderEmbed(embed) : null;
}

/** A paragraph of two or more images and nothing else (line breaks aside) is a gallery; each image's title is its caption. */
function galleryOf(tokens: Token[]): string | null {
  const images = tokens.filter((t): t is Tokens.Image => t.type === "image");
  if (images.length < 2 || tokens.some((t) => t.type !== "image" && t.type !== "br" && !(t.type === "text" && t.raw.trim() === ""))) return null;
  const figures = images.map((image) => {
    const caption = image.title ? `<figcaption>${escapeHtml(image.title)}</figcaption>` : "";
    return `<figure>${imageHtml(image, false)}${caption}</figure>\n`;
  });
  return `<figure class="gallery">\n${figures.join("")}</figure>\n`;
}

const marked = new Marked({
  gfm: true,
  ...footnotes,
  renderer: {
    paragraph(token: Tokens.Paragraph) {
      return embedOf(token.tokens) ?? galleryOf(token.tokens) ?? `<p>${this.parser.parseInline(token.tokens)}</p>\n`;
    },
    heading({ tokens, depth, text }: Tokens.Heading) {
      const id = uniqueHeadingId(htmlToText(text));
      return `<h${depth} id="${id}">${this.parser.parseInline(tokens)}</h${depth}>\n`;
    },
    image(token: Tokens.Image) {
      return imageHtml(token, true);
    },
  },
});

/** The host of an absolute or protocol-relative URL (another site's), or null for a path on this site or a data: URL. */
function outsideHost(href: string): string | null {
  const trimmed = href.trim();
  if (!/^(?:[a-z][a-z0-9+.-]*:|\/\/|\\)/i.test(trimmed) || /^data:/i.test(trimmed)) return null;
  try {
    return new URL(trimmed, "https://this-site.invalid").host || trimmed;
  } catch {
    return trimmed;
  }
}

/** The version string stored beside HTML rendered from a body with this hash. */
export function htmlVersionFor(bodyHash: string): string {
  return `${RENDERER_VERSION}:${bodyHash}`;
}

/** The number in a renderer version ("md2" -> 2), or null for anything else. */
function rendererGeneration(renderer: string): number | null {
  const match = /^md(\d+)$/.exec(renderer);
  return match ? Number(match[1]) : null;
}

const CURRENT_GENERATION = rendererGeneration(RENDERER_VERSION) ?? 0;

/**
 * Whether HTML stored with `htmlVersion` may be served for a body with this
 * hash: rendered from that very body, by this renderer or a newer one. A newer
 * one counts: while a deploy rolls out, the old and the new Worker (and
 * publish) run side by side, and must not render an article back and forth.
 */
export function isCurrentHtml(htmlVersion: string | null, bodyHash: string): boolean {
  if (htmlVersion === null) return false;
  const colon = htmlVersion.indexOf(":");
  if (colon < 0 || htmlVersion.slice(colon + 1) !== bodyHash) return false;
  const generation = rendererGeneration(htmlVersion.slice(0, colon));
  return generation !== null && generation >= CURRENT_GENERATION;
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
  resetFootnotes();
  const html = marked.parse(markdown, { async: false });
  return { html, excerpt: excerptFromHtml(html), text: htmlToPlainText(html) };
}

function excerptFromHtml(html: string): string {
  const paragraphs = [...html.matchAll(/<p>([\s\S]*?)<\/p>/g)].map((m) => htmlToText(m[1] ?? "")).filter((p) => p.length > 0);
  return truncateText(paragraphs.join(" "), EXCERPT_LENGTH);
}
