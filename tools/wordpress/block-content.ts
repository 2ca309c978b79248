// What WordPress shows of a post beyond plain HTML, in the Markdown the blog
// renders the same way (docs/writing.md): galleries (the block, and
// [gallery] expanded to it) as a paragraph of images, embeds (the block, an
// iframe of a known player, a provider's URL alone in a paragraph) as that
// URL on a line of its own, which the renderer loads only on a click, the
// block editor's footnotes (the <sup data-fn> marks and the "footnotes" post
// meta) as Markdown footnotes, and a quote's <cite> kept as <cite>.
import type TurndownService from "turndown";
import { findEmbed } from "../../src/articles/embeds";

// The DOM that turndown hands its rules (domino's), as these rules read it.
export interface DomElement {
  nodeType: number;
  nodeName: string;
  nodeValue: string | null;
  textContent: string | null;
  isBlock?: boolean;
  parentNode: DomElement | null;
  attributes?: ArrayLike<{ name: string; value: string }>;
  childNodes: ArrayLike<DomElement>;
  firstElementChild: DomElement | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
  querySelectorAll(selector: string): ArrayLike<DomElement>;
}
const asElement = (node: unknown) => node as DomElement;
const hasClass = (node: DomElement, name: string) => (node.getAttribute("class") ?? "").split(/\s+/).includes(name);
const URL_ALONE = /^https?:\/\/[^\s<>"]+$/;

/** The footnotes of one post: the meta's notes by id, and the numbers the text gave them. */
export interface FootnoteState {
  notes: Map<string, string>;
  numbers: Map<string, number>;
}

/** The block editor's "footnotes" post meta (JSON: [{id, content}]), read leniently: what is not a note is skipped. */
export function readFootnotes(meta: string | undefined): Map<string, string> {
  const notes = new Map<string, string>();
  if (!meta) return notes;
  let parsed: unknown;
  try {
    parsed = JSON.parse(meta);
  } catch {
    return notes;
  }
  if (!Array.isArray(parsed)) return notes;
  for (const note of parsed) {
    if (note && typeof note === "object" && typeof note.id === "string" && typeof note.content === "string") notes.set(note.id, note.content);
  }
  return notes;
}

/** An image as Markdown, its caption as the title (what the renderer shows under it in a gallery). */
function imageMarkdown(src: string, alt: string, caption: string): string {
  const oneLine = (text: string) => text.replace(/\s+/g, " ").trim();
  const url = /[\s()<>]/.test(src) ? `<${src.replace(/[<>\s]/g, encodeURIComponent)}>` : src;
  const title = oneLine(caption) ? ` "${oneLine(caption).replace(/["\\]/g, "\\$&")}"` : "";
  return `![${oneLine(alt).replace(/[[\]\\]/g, "\\$&")}](${url}${title})`;
}

/** The rules, added to the converter once; `footnotes` is read at each conversion. */
export function addBlockRules(service: TurndownService, footnotes: () => FootnoteState): void {
  service.addRule("gallery", {
    filter: (node) => asElement(node).nodeName === "FIGURE" && hasClass(asElement(node), "wp-block-gallery"),
    replacement: (_content, node) => {
      const gallery = asElement(node);
      const images = Array.from(gallery.querySelectorAll("img"), (img) => {
        const figure = img.parentNode?.nodeName === "FIGURE" ? img.parentNode : img.parentNode?.parentNode;
        const caption = figure?.nodeName === "FIGURE" && figure !== gallery ? (figure.querySelector("figcaption")?.textContent ?? "") : "";
        return imageMarkdown(img.getAttribute("src") ?? "", img.getAttribute("alt") ?? "", caption);
      }).filter((line) => !line.includes("]()"));
      const caption = Array.from(gallery.childNodes)
        .find((child) => child.nodeName === "FIGCAPTION")
        ?.textContent?.trim();
      return `\n\n${images.join("\n")}\n\n${caption ? `${service.escape(caption)}\n\n` : ""}`;
    },
  });
  service.addRule("embedBlock", {
    filter: (node) => asElement(node).nodeName === "FIGURE" && hasClass(asElement(node), "wp-block-embed"),
    replacement: (_content, node) => {
      const figure = asElement(node);
      const url = (figure.querySelector("div")?.textContent ?? figure.textContent ?? "").trim().split(/\s+/)[0] ?? "";
      const caption = figure.querySelector("figcaption")?.textContent?.trim();
      const line = URL_ALONE.test(url) ? `<${url}>` : "";
      return `\n\n${line}\n\n${caption ? `${service.escape(caption)}\n\n` : ""}`;
    },
  });
  // An iframe of a known player becomes its embed; any other stays a link to what it showed (the CSP frames no other site).
  service.addRule("iframe", {
    filter: "iframe",
    replacement: (_content, node) => {
      const src = asElement(node).getAttribute("src") ?? "";
      return URL_ALONE.test(src) ? `\n\n<${src}>\n\n` : "";
    },
  });
  // A provider's URL alone in a paragraph, as WordPress auto-embeds it.
  service.addRule("embedUrl", {
    filter: (node) => {
      const p = asElement(node);
      const text = p.textContent?.trim() ?? "";
      return p.nodeName === "P" && p.childNodes.length === 1 && p.firstElementChild === null && URL_ALONE.test(text) && findEmbed(text) !== null;
    },
    replacement: (_content, node) => `\n\n<${asElement(node).textContent?.trim()}>\n\n`,
  });
  service.addRule("footnoteMark", {
    filter: (node) => asElement(node).nodeName === "SUP" && footnotes().notes.has(asElement(node).getAttribute("data-fn") ?? ""),
    replacement: (_content, node) => {
      const { numbers } = footnotes();
      const id = asElement(node).getAttribute("data-fn") ?? "";
      const number = numbers.get(id) ?? numbers.size + 1;
      numbers.set(id, number);
      return `[^${number}]`;
    },
  });
  // <blockquote><p>…</p><cite>Name</cite></blockquote>: the name stays the quote's source.
  service.addRule("quoteCite", {
    filter: (node) => asElement(node).nodeName === "CITE" && asElement(node).parentNode?.nodeName === "BLOCKQUOTE",
    replacement: (content) => (content.trim() ? `\n\n— <cite>${content.trim()}</cite>\n\n` : ""),
  });
}

/** The notes the text cited, as Markdown footnote definitions in their numbers' order. */
export function footnoteDefinitions(state: FootnoteState, toMarkdown: (html: string) => string): string {
  const lines = [...state.numbers].map(([id, number]) => {
    const text = toMarkdown(state.notes.get(id) ?? "")
      .replace(/\n\s*\n/g, "\n")
      .replace(/\n/g, "\n    ");
    return `[^${number}]: ${text}`;
  });
  return lines.join("\n");
}
