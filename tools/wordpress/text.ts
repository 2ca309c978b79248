// Plain text from WordPress's HTML fields (titles, excerpts, names).
import { parseFragment } from "parse5";

type Node = { nodeName: string; value?: string; childNodes?: Node[] };

/** The text of an HTML fragment: tags dropped, entities decoded, white space collapsed. */
export function htmlToText(html: string): string {
  const parts: string[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === "#text") parts.push(node.value ?? "");
    else if (node.nodeName !== "#comment" && node.nodeName !== "script" && node.nodeName !== "style") for (const child of node.childNodes ?? []) walk(child);
  };
  walk(parseFragment(html) as unknown as Node);
  return parts.join("").replace(/\s+/g, " ").trim();
}

/** `text` cut at a word boundary to at most `max` characters, with an ellipsis when cut. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/**
 * A copy of a string that shares no memory with the text it was cut from.
 * V8 keeps a whole parser chunk (or file) alive for every short slice of it
 * that is kept; what the plan keeps per post goes through here, so memory
 * stays flat however large the export.
 */
export function detach<T>(value: T): T {
  return structuredClone(value);
}
