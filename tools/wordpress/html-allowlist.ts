// The HTML an imported post may keep. WordPress filters post HTML (kses) only
// for authors without the unfiltered_html capability, and an export file can
// say anything, so its bodies are untrusted: marked later passes raw HTML
// through to readers unchanged. Before turndown sees a body it is parsed as
// browsers parse it; elements that act by themselves are dropped with their
// content, every other element keeps only the attributes listed here, URLs
// only http, https, mailto or a relative path, and what went is reported.
// What stays HTML in the Markdown (figures, embeds, tables turndown cannot
// write) is serialized again with its text made inert for Markdown too.
import { parseFragment } from "parse5";

/** A node of either parser's tree (parse5 here, turndown's DOM for kept HTML), as the walk needs it. */
export type HtmlNode = { kind: "element"; name: string; attrs: [string, string][]; children: HtmlNode[] } | { kind: "text"; text: string } | { kind: "other" };

const GLOBAL_ATTRIBUTES = ["title", "lang", "dir"];
const MEDIA_ATTRIBUTES = ["src", "controls", "loop", "muted", "preload"];

// Element → the attributes it keeps besides the global ones. An element not
// listed (font, form, custom elements, …) gives way to its content.
const WITHOUT_ATTRIBUTES =
  "p br hr h1 h2 h3 h4 h5 h6 div span section article aside header footer nav main address center hgroup wbr strong b em i u s strike sub small big mark kbd samp var pre cite abbr dfn ul dl dt dd table caption thead tbody tfoot tr figcaption summary";
const ALLOWED = new Map<string, string[]>([
  ...WITHOUT_ATTRIBUTES.split(" ").map((name): [string, string[]] => [name, []]),
  ["a", ["href"]],
  // The blocks html-to-markdown.ts converts are known by their class (only those classes stay, see BLOCK_CLASSES).
  ["figure", ["class"]],
  // A footnote mark of the block editor names its note.
  ["sup", ["data-fn"]],
  ["img", ["src", "alt", "width", "height"]],
  ["iframe", ["src", "width", "height", "allowfullscreen"]],
  ["video", [...MEDIA_ATTRIBUTES, "poster", "width", "height", "playsinline"]],
  ["audio", MEDIA_ATTRIBUTES],
  ["source", ["src", "type"]],
  ["track", ["src", "kind", "srclang", "label", "default"]],
  ["td", ["colspan", "rowspan", "align"]],
  ["th", ["colspan", "rowspan", "align", "scope"]],
  ["col", ["span"]],
  ["colgroup", ["span"]],
  ["ol", ["start", "reversed", "type"]],
  ["li", ["value"]],
  // turndown reads a code block's language from its class.
  ["code", ["class"]],
  ["details", ["open"]],
  ["blockquote", ["cite"]],
  ["q", ["cite"]],
  ["ins", ["cite", "datetime"]],
  ["del", ["cite", "datetime"]],
  ["time", ["datetime"]],
]);

// Dropped with everything inside: they run code, load other documents,
// change the page around them, or hold text that is no text (raw text, forms).
const DROPPED = new Set([
  ...["script", "style", "template", "noscript", "noembed", "noframes", "xmp", "plaintext", "title", "head", "meta", "link", "base"],
  ...["object", "embed", "applet", "param", "frame", "frameset", "svg", "math", "input", "button", "textarea", "select", "datalist"],
]);
// The classes of blocks that convert to something of their own (galleries, embeds); on any element but <code>, every other class goes.
const BLOCK_CLASSES = new Set(["wp-block-gallery", "wp-block-embed"]);
const URL_ATTRIBUTES = new Set(["href", "src", "poster", "cite"]);
// Attributes that run code without an on… name (a whole document, for an iframe).
const ACTIVE_ATTRIBUTES = new Set(["srcdoc"]);
const VOID = new Set(["br", "hr", "img", "source", "track", "col", "wbr"]);
const SAFE_SCHEMES = new Set(["http:", "https:", "mailto:"]);
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** What cleaning removed that would have acted: elements, attributes that run script, unsafe URL schemes. */
interface RemovedHtml {
  elements: Set<string>;
  handlers: Set<string>;
  schemes: Set<string>;
}

/** The body with only allowed elements, attributes and URLs, and the lines the report shows for what went. */
export function cleanPostHtml(html: string): { html: string; removed: string[] } {
  const removed: RemovedHtml = { elements: new Set(), handlers: new Set(), schemes: new Set() };
  const tree = fromParse5(parseFragment(html) as Parse5Node);
  const text = tree.kind === "element" ? tree.children.map((child) => serialize(child, { markdown: false, inPre: false, removed })).join("") : "";
  return { html: text, removed: describeRemoved(removed) };
}

/** Kept HTML for a Markdown file: allowed elements and attributes only, and no text marked would read as Markdown. */
export function serializeKeptHtml(node: HtmlNode): string {
  return serialize(node, { markdown: true, inPre: false, removed: null });
}

/**
 * The URL as it may be written, or null when its scheme is not http, https
 * or mailto, read as browsers read it; a relative URL whose first segment holds ":",
 * "&" or "\" gets "./" in front, so that no later decoding of entities or
 * Markdown escapes can turn it into a scheme.
 */
function canonicalUrl(value: string): string | null {
  const url = readUrl(value);
  if (!SCHEME.test(url)) return /^[^/?#]*[:&\\]/.test(url) ? `./${url}` : url;
  try {
    const parsed = new URL(url);
    return SAFE_SCHEMES.has(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
}

interface Walk {
  markdown: boolean;
  inPre: boolean;
  removed: RemovedHtml | null;
}

function serialize(node: HtmlNode, walk: Walk): string {
  if (node.kind === "text") return escapeText(node.text, walk);
  if (node.kind === "other") return "";
  if (DROPPED.has(node.name)) {
    walk.removed?.elements.add(`<${node.name}>`);
    return "";
  }
  const allowed = ALLOWED.get(node.name);
  const inner = { ...walk, inPre: walk.inPre || node.name === "pre" };
  // An iframe's content is raw text no browser shows.
  const children = node.name === "iframe" ? [] : node.children;
  let content = children.map((child) => serialize(child, inner)).join("");
  const attrs = keepAttributes(node, allowed ?? [], walk);
  if (!allowed) return content;
  // The parser drops a newline right after <pre>; one that is content needs a second.
  if (node.name === "pre" && children[0]?.kind === "text" && children[0].text.startsWith("\n")) content = `${walk.markdown ? "&#10;" : "\n"}${content}`;
  const open = `<${node.name}${attrs.map(([name, value]) => ` ${name}="${escapeAttribute(value, walk)}"`).join("")}>`;
  return VOID.has(node.name) ? open : `${open}${content}</${node.name}>`;
}

function keepAttributes(node: { name: string; attrs: [string, string][] }, allowed: string[], walk: Walk): [string, string][] {
  const kept: [string, string][] = [];
  for (const [name, value] of node.attrs) {
    if (name.startsWith("on") || ACTIVE_ATTRIBUTES.has(name)) walk.removed?.handlers.add(name);
    if (!allowed.includes(name) && !GLOBAL_ATTRIBUTES.includes(name)) continue;
    if (name === "class" && node.name !== "code") {
      const classes = value.split(/[ \t\n\f\r]+/).filter((c) => BLOCK_CLASSES.has(c));
      if (classes.length > 0) kept.push([name, classes.join(" ")]);
      continue;
    }
    if (!URL_ATTRIBUTES.has(name)) {
      kept.push([name, value]);
      continue;
    }
    const url = canonicalUrl(value);
    if (url !== null) kept.push([name, url]);
    else walk.removed?.schemes.add(describeScheme(value));
  }
  return kept;
}

function describeScheme(value: string): string {
  return (SCHEME.exec(readUrl(value))?.[0] ?? "unreadable:").slice(0, -1).toLowerCase();
}

/** The URL as browsers read an attribute's value: tabs and newlines ignored, leading and trailing controls and spaces trimmed. */
function readUrl(value: string): string {
  return value.replace(/[\t\n\r]/g, "").replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, "");
}

function describeRemoved(removed: RemovedHtml): string[] {
  const lines = [...removed.elements];
  if (removed.handlers.size > 0) lines.push(`attributes that run script (${[...removed.handlers].join(", ")})`);
  if (removed.schemes.size > 0) lines.push(`URLs with an unsafe scheme (${[...removed.schemes].join(", ")})`);
  return lines;
}

// For Markdown, the characters that could open a Markdown construct (a link,
// an autolink, HTML, code, an escape, an entity; emphasis in text) are
// written as character references: browsers read the same text, marked
// finds nothing to parse. Attribute values need brackets escaped too: marked
// looks for a link's "](" across the tags inside its text.
const HTML_ESCAPES = new Map([
  ["&", "&amp;"],
  ["<", "&lt;"],
  [">", "&gt;"],
  ['"', "&quot;"],
]);
const reference = (c: string): [string, string] => [c, `&#${c.charCodeAt(0)};`];
const TEXT_ESCAPES = new Map([...HTML_ESCAPES, ["\u00a0", "&nbsp;"], ...[..."\\[]`*_~"].map(reference)]);
const ATTRIBUTE_ESCAPES = new Map([...HTML_ESCAPES, ...[..."\\[]`\n"].map(reference)]);

function escapeText(text: string, walk: Walk): string {
  if (!walk.markdown) return text.replace(/[&<>]/g, (c) => HTML_ESCAPES.get(c) ?? c);
  const escaped = text.replace(/[&<>\u00a0\\[\]`*_~]/g, (c) => TEXT_ESCAPES.get(c) ?? c);
  // No blank line: it would end marked's HTML block and leave the rest to Markdown.
  return walk.inPre ? escaped.replace(/\r?\n/g, "&#10;") : escaped.replace(/[ \t\r\n\f]*\n[ \t\r\n\f]*/g, "\n");
}

function escapeAttribute(value: string, walk: Walk): string {
  if (!walk.markdown) return value.replace(/[&<>"]/g, (c) => HTML_ESCAPES.get(c) ?? c);
  return value.replace(/\r/g, "").replace(/[&<>"\\[\]`\n]/g, (c) => ATTRIBUTE_ESCAPES.get(c) ?? c);
}

type Parse5Node = { nodeName: string; tagName?: string; value?: string; attrs?: { name: string; value: string }[]; childNodes?: Parse5Node[] };

function fromParse5(node: Parse5Node): HtmlNode {
  if (node.nodeName === "#text") return { kind: "text", text: node.value ?? "" };
  if (node.nodeName === "#comment" || node.nodeName === "#documentType") return { kind: "other" };
  return {
    kind: "element",
    name: node.tagName ?? node.nodeName,
    attrs: (node.attrs ?? []).map((a) => [a.name, a.value]),
    children: (node.childNodes ?? []).map(fromParse5),
  };
}
