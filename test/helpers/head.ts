// A page's <head>, read with an HTML parser (parse5) as a browser would.
import { type DefaultTreeAdapterMap, parse } from "parse5";

type Element = DefaultTreeAdapterMap["element"];

export interface HeadElement {
  tag: string;
  attrs: Record<string, string>;
  /** The text inside (a script's content). */
  text: string;
}

function isElement(node: unknown): node is Element {
  return typeof node === "object" && node !== null && "tagName" in node;
}

/** The elements directly in the document's head. */
export function readHead(html: string): HeadElement[] {
  const htmlElement = parse(html).childNodes.find(isElement);
  const head = htmlElement?.childNodes.find((node): node is Element => isElement(node) && node.tagName === "head");
  return (head?.childNodes ?? []).filter(isElement).map((el) => ({
    tag: el.tagName,
    attrs: Object.fromEntries(el.attrs.map((a) => [a.name, a.value])),
    text: el.childNodes.map((child) => ("value" in child ? String(child.value) : "")).join(""),
  }));
}

/** The content of every <meta property=…> (or name=…) with this key, in order. */
export function metaValues(head: HeadElement[], key: string): string[] {
  return head.filter((el) => el.tag === "meta" && (el.attrs.property === key || el.attrs.name === key)).map((el) => el.attrs.content ?? "");
}

/** The <link rel="alternate"> elements, as [type or hreflang, title, href]. */
export function alternateLinks(head: HeadElement[]): { type?: string; hreflang?: string; title?: string; href?: string }[] {
  return head
    .filter((el) => el.tag === "link" && el.attrs.rel === "alternate")
    .map(({ attrs }) => ({ type: attrs.type, hreflang: attrs.hreflang, title: attrs.title, href: attrs.href }));
}
