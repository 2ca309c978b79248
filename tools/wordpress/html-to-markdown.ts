// A post's HTML (classic or block editor) as Markdown, with turndown and its
// GFM plugin (tables, strikethrough): the kept, widely used converter.
// Galleries, embeds and footnotes become the blog's own Markdown for them
// (block-content.ts). What Markdown cannot say (figures with captions,
// tables without a header row, definition lists) stays HTML, which marked
// passes through; so the body goes through the importer's allowlist first
// (html-allowlist.ts), and text is escaped so that marked reads it as text,
// "<" and entities included.
/// <reference path="./turndown-plugin-gfm.d.ts" />
import TurndownService from "turndown";
import { gfm } from "turndown-plugin-gfm";
import type { AttachmentIndex } from "./attachments";
import { addBlockRules, type DomElement, type FootnoteState, footnoteDefinitions, readFootnotes } from "./block-content";
import { cleanPostHtml, type HtmlNode, serializeKeptHtml } from "./html-allowlist";
import { expandGalleries, listShortcodes, protectShortcodes, replaceCaptions, replaceMediaShortcodes } from "./shortcodes";
import { addParagraphs } from "./wpautop";

export interface MarkdownResult {
  markdown: string;
  /** Shortcodes kept as text ([gallery] of attachments the export lacks, [playlist], plugins' ones). */
  shortcodes: string[];
  /** What the allowlist removed (elements, handlers, unsafe URL schemes), for the report. */
  removed: string[];
}

const KEEP_AS_HTML = ["video", "audio", "dl", "sup", "sub", "details", "ins"] as const;
const BLOCK_COMMENT = /<!--\s*\/?wp:[\s\S]*?-->/g;

const asElement = (node: unknown) => node as DomElement;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

let service: TurndownService | null = null;
// The footnotes of the post being converted (turndown's rules are made once).
let footnotes: FootnoteState = { notes: new Map(), numbers: new Map() };

function getService(): TurndownService {
  if (service) return service;
  service = new TurndownService({
    headingStyle: "atx",
    codeBlockStyle: "fenced",
    bulletListMarker: "-",
    emDelimiter: "*",
    hr: "---",
    keepReplacement: (_content, node) => {
      const html = serializeKeptHtml(fromDom(asElement(node)));
      return asElement(node).isBlock ? `\n\n${html}\n\n` : html;
    },
  });
  const escapeMarkdown = service.escape.bind(service);
  // turndown leaves "<" and entities alone, which marked would read as HTML.
  service.escape = (text) => escapeMarkdown(text).replace(/<|&(?=#?[a-z0-9]+;)/gi, "\\$&");
  service.use(gfm);
  service.keep([...KEEP_AS_HTML] as TurndownService.Filter);
  service.addRule("figureWithCaption", {
    filter: (node) => asElement(node).nodeName === "FIGURE" && asElement(node).querySelector("figcaption") != null,
    replacement: (_content, node) => `\n\n${serializeKeptHtml(fromDom(asElement(node)))}\n\n`,
  });
  // <pre> without <code> (the classic editor's) is a code block too.
  service.addRule("preformatted", {
    filter: (node) => asElement(node).nodeName === "PRE" && asElement(node).firstElementChild?.nodeName !== "CODE",
    replacement: (_content, node) => {
      const text = (asElement(node).textContent ?? "").replace(/\n$/, "");
      const fence = "`".repeat(Math.max(3, ...(text.match(/`+/g) ?? []).map((f: string) => f.length + 1)));
      return `\n\n${fence}\n${text}\n${fence}\n\n`;
    },
  });
  // Last, so that they come first: a gallery or embed is a figure with a caption too.
  addBlockRules(service, () => footnotes);
  return service;
}

function fromDom(node: DomElement): HtmlNode {
  if (node.nodeType === TEXT_NODE) return { kind: "text", text: node.nodeValue ?? "" };
  if (node.nodeType !== ELEMENT_NODE) return { kind: "other" };
  return {
    kind: "element",
    name: node.nodeName.toLowerCase(),
    attrs: Array.from(node.attributes ?? [], (a): [string, string] => [a.name, a.value]),
    children: Array.from(node.childNodes, fromDom),
  };
}

/** What a post brings besides its content: the export's attachments for [gallery], its footnotes, and where its uploads went. */
export interface PostContext {
  postId?: string;
  attachments?: AttachmentIndex;
  /** The "footnotes" post meta of the block editor (JSON). */
  footnotes?: string;
  /** Turns the links to old uploads into their new home (or leaves them). */
  rewriteMedia?: (html: string) => string;
}

/** Converts post content as stored by WordPress to Markdown; lists the shortcodes kept as text and what the allowlist removed. */
export function convertPostHtml(content: string, context: PostContext = {}): MarkdownResult {
  const isBlockEditor = /<!--\s*wp:/.test(content);
  const expanded = context.attachments ? expandGalleries(content, context.postId ?? "", context.attachments) : content;
  let html = (context.rewriteMedia ?? ((text: string) => text))(expanded).replace(BLOCK_COMMENT, "");
  html = replaceMediaShortcodes(replaceCaptions(html));
  if (!isBlockEditor) html = addParagraphs(html);
  const shortcodes = listShortcodes(html).filter((name) => name !== "caption" && name !== "wp_caption");
  const guarded = protectShortcodes(html, shortcodes);
  const clean = cleanPostHtml(guarded.html);
  footnotes = { notes: readFootnotes(context.footnotes), numbers: new Map() };
  const turndown = getService();
  let markdown = guarded.restore(turndown.turndown(clean.html)).trim();
  const removed = new Set(clean.removed);
  const definitions = footnoteDefinitions(footnotes, (note) => {
    const cleanNote = cleanPostHtml(note);
    for (const line of cleanNote.removed) removed.add(line);
    return turndown.turndown(cleanNote.html).trim();
  });
  if (definitions) markdown = `${markdown}\n\n${definitions}`;
  return { markdown, shortcodes, removed: [...removed] };
}
