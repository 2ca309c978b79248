// A post's HTML (classic or block editor) as Markdown, with turndown and its
// GFM plugin (tables, strikethrough): the kept, widely used converter. What
// Markdown cannot say (figures with captions, embeds, tables without a header
// row, definition lists) stays an HTML block, which marked passes through.
/// <reference path="./turndown-plugin-gfm.d.ts" />
import TurndownService from "turndown";
import { gfm } from "turndown-plugin-gfm";
import { listShortcodes, protectShortcodes, replaceCaptions } from "./shortcodes";
import { addParagraphs } from "./wpautop";

export interface MarkdownResult {
  markdown: string;
  /** Shortcodes kept as text ([gallery], [embed], unknown ones). */
  shortcodes: string[];
}

const KEEP_AS_HTML = ["iframe", "video", "audio", "object", "embed", "dl", "sup", "sub", "details", "ins"] as const;
const BLOCK_COMMENT = /<!--\s*\/?wp:[\s\S]*?-->/g;

// The DOM that turndown hands its rules (domino's); no DOM lib is loaded for the Worker's types.
interface DomElement {
  nodeName: string;
  outerHTML: string;
  textContent: string | null;
  firstElementChild: DomElement | null;
  cloneNode(deep: boolean): DomElement;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
  removeAttribute(name: string): void;
}
const asElement = (node: unknown) => node as DomElement;

let service: TurndownService | null = null;

function getService(): TurndownService {
  if (service) return service;
  service = new TurndownService({ headingStyle: "atx", codeBlockStyle: "fenced", bulletListMarker: "-", emDelimiter: "*", hr: "---" });
  service.use(gfm);
  service.keep([...KEEP_AS_HTML] as TurndownService.Filter);
  service.addRule("figureWithCaption", {
    filter: (node) => asElement(node).nodeName === "FIGURE" && asElement(node).querySelector("figcaption") != null,
    replacement: (_content, node) => `\n\n${cleanFigure(asElement(node))}\n\n`,
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
  service.remove(["script", "style"]);
  return service;
}

// Attributes that only mattered to WordPress's themes and editor.
function cleanFigure(node: DomElement): string {
  const copy = node.cloneNode(true);
  for (const element of [copy, ...Array.from(copy.querySelectorAll("*"))]) {
    for (const name of ["class", "id", "style", "srcset", "sizes", "data-id", "loading", "decoding"]) element.removeAttribute(name);
  }
  return copy.outerHTML.replace(/\n\s*\n/g, "\n");
}

/** Converts post content as stored by WordPress to Markdown; lists the shortcodes kept as text. */
export function convertPostHtml(content: string): MarkdownResult {
  const isBlockEditor = /<!--\s*wp:/.test(content);
  let html = content.replace(BLOCK_COMMENT, "");
  html = replaceCaptions(html);
  if (!isBlockEditor) html = addParagraphs(html);
  const shortcodes = listShortcodes(html).filter((name) => name !== "caption" && name !== "wp_caption");
  const guarded = protectShortcodes(html, shortcodes);
  const markdown = guarded.restore(getService().turndown(guarded.html)).trim();
  return { markdown, shortcodes };
}
