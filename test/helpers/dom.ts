// A whole page read with an HTML parser (parse5) as a browser would: every element, in document order.
import { type DefaultTreeAdapterMap, parse } from "parse5";

type Node = DefaultTreeAdapterMap["childNode"] | DefaultTreeAdapterMap["document"];

export interface PageElement {
  tag: string;
  attrs: Record<string, string>;
  /** All text inside, as the reader sees it. */
  text: string;
}

function textOf(node: Node): string {
  if ("value" in node && node.nodeName === "#text") return String(node.value);
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

/** Every element of the page, in document order. */
export function listElements(html: string): PageElement[] {
  const out: PageElement[] = [];
  const walk = (node: Node) => {
    if ("tagName" in node) out.push({ tag: node.tagName, attrs: Object.fromEntries(node.attrs.map((a) => [a.name, a.value])), text: textOf(node) });
    const children = "content" in node && node.content ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
    for (const child of children) walk(child);
  };
  walk(parse(html));
  return out;
}

/** The elements with this tag (and, optionally, this class). */
export function findElements(html: string, tag: string, className?: string): PageElement[] {
  return listElements(html).filter((el) => el.tag === tag && (className === undefined || (el.attrs.class ?? "").split(" ").includes(className)));
}
