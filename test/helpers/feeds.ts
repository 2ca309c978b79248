// Feeds and sitemaps read with a real XML parser (fast-xml-parser), never with regexes.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { type DefaultTreeAdapterTypes, parseFragment } from "parse5";
import { expect } from "vitest";
import { get } from "./http";

// Parsed XML is whatever the document holds.
// biome-ignore lint/suspicious/noExplicitAny: the tests walk documents of any shape and assert on what they find
export type Xml = any;

type Parse5Node = DefaultTreeAdapterTypes.ChildNode | DefaultTreeAdapterTypes.DocumentFragment;

const REPEATED = new Set(["item", "entry", "category", "link", "url", "atom:link"]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

/** Parses a document that must be well-formed XML. */
export function parseXml(xml: string): Xml {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`not well-formed XML: ${valid.err.msg} at line ${valid.err.line}\n${xml}`);
  return parser.parse(xml);
}

/** An element's text, whether it has attributes or not. */
export function textOf(node: Xml): string {
  return typeof node === "string" ? node : (node?.["#text"] ?? "");
}

/** GETs a feed, checks status and Content-Type, and returns its body. */
export async function fetchFeed(path: string, type: string): Promise<string> {
  const res = await get(path);
  const body = await res.text();
  expect(res.status, `${path}: ${body.slice(0, 300)}`).toBe(200);
  expect(res.headers.get("Content-Type")).toBe(`${type}; charset=utf-8`);
  return body;
}

export async function fetchRss(path: string): Promise<Xml> {
  return parseXml(await fetchFeed(path, "application/rss+xml")).rss;
}

export async function fetchAtom(path: string): Promise<Xml> {
  return parseXml(await fetchFeed(path, "application/atom+xml")).feed;
}

export async function fetchJsonFeed(path: string): Promise<Xml> {
  return JSON.parse(await fetchFeed(path, "application/feed+json"));
}

/** The RSS items, Atom entries and JSON Feed items of one feed path ("" for the site's), by format. */
export async function fetchAllFormats(basePath: string): Promise<{ rss: Xml[]; atom: Xml[]; json: Xml[] }> {
  const [rss, atom, json] = await Promise.all([fetchRss(`${basePath}/feed.xml`), fetchAtom(`${basePath}/atom.xml`), fetchJsonFeed(`${basePath}/feed.json`)]);
  return { rss: rss.channel.item ?? [], atom: atom.entry ?? [], json: json.items };
}

/** What a feed reader shows for a field it renders as HTML: the text, and every element with its attributes. */
export function renderAsHtml(html: string): { text: string; elements: { tag: string; attrs: string[] }[] } {
  const elements: { tag: string; attrs: string[] }[] = [];
  let text = "";
  const walk = (node: Parse5Node) => {
    if (node.nodeName === "#text") text += (node as { value: string }).value;
    else if ("tagName" in node) elements.push({ tag: node.tagName, attrs: node.attrs.map((a) => a.name) });
    if ("childNodes" in node) for (const child of node.childNodes) walk(child as Parse5Node);
  };
  walk(parseFragment(html) as Parse5Node);
  return { text, elements };
}
