// A post's HTML (classic or block editor) as Markdown, with turndown and its
// GFM plugin (tables, strikethrough): the kept, widely used converter. What
// Markdown cannot say (figures with captions, embeds, tables without a header
// row, definition lists) stays HTML, which marked passes through; so the body
// goes through the importer's allowlist first (html-allowlist.ts), and text
// is escaped so that marked reads it as text, "<" and entities included.
/// <reference path="./turndown-plugin-gfm.d.ts" />
import TurndownService from "turndown";
import { gfm } from "turndown-plugin-gfm";
import { cleanPostHtml, type HtmlNode, serializeKeptHtml } from "./html-allowlist";
import { listShortcodes, protectShortcodes, replaceCaptions } from "./shortcodes";
import { addParagraphs } from "./wpautop";

export interface MarkdownResult {
  markdown: string;
  /** Shortcodes kept as text ([gallery], [embed], unknown ones). */
  shortcodes: string[];
  /** What the allowlist removed (elements, handlers, unsafe URL schemes), for the report. */
  removed: string[];
}

const KEEP_AS_HTML = ["iframe", "video", "audio", "dl", "sup", "sub", "details", "ins"] as const;
const BLOCK_COMMENT = /<!--\s*\/?wp:[\s\S]*?-->/g;

// The DOM that turndown hands its rules (domino's); no DOM lib is loaded for the Worker's types.
interface DomElement {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  textContent: string | null;
  isBlock?: boolean;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomElement>;
  firstElementChild: DomElement | null;
  querySelector(selector: string): DomElement | null;
}
const asElement = (node: unknown) => node as DomElement;
const ELEMENT_NODE = 1;
const TEXT_NODE = 3;

let service: TurndownService | null = null;

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

/** Converts post content as stored by WordPress to Markdown; lists the shortcodes kept as text and what the allowlist removed. */
export function convertPostHtml(content: string): MarkdownResult {
  const isBlockEditor = /<!--\s*wp:/.test(content);
  let html = content.replace(BLOCK_COMMENT, "");
  html = replaceCaptions(html);
  if (!isBlockEditor) html = addParagraphs(html);
  const shortcodes = listShortcodes(html).filter((name) => name !== "caption" && name !== "wp_caption");
  const guarded = protectShortcodes(html, shortcodes);
  const clean = cleanPostHtml(guarded.html);
  const markdown = guarded.restore(getService().turndown(clean.html)).trim();
  return { markdown, shortcodes, removed: clean.removed };
}
