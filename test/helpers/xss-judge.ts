// Judges HTML by parsing it as a browser would (parse5), never by string comparison.
import { parseFragment } from "parse5";

const ALLOWED: Record<string, string[]> = {
  p: [],
  br: [],
  a: ["href", "title", "rel"],
  abbr: ["title"],
  acronym: ["title"],
  b: [],
  blockquote: ["cite"],
  cite: [],
  code: [],
  del: ["datetime"],
  em: [],
  i: [],
  q: ["cite"],
  strike: [],
  strong: [],
};
const URL_ATTRS = new Set(["href", "cite"]);
const SAFE_PROTOCOLS = new Set(["http:", "https:", "mailto:"]);

interface Node {
  nodeName: string;
  tagName?: string;
  attrs?: { name: string; value: string }[];
  childNodes?: Node[];
  content?: Node;
}

/** Every way `html` breaks the comment allowlist; empty when it is safe. */
export function findXssProblems(html: string): string[] {
  const problems: string[] = [];
  const visit = (node: Node) => {
    if (node.tagName) {
      const allowed = ALLOWED[node.tagName];
      if (!allowed) problems.push(`element <${node.tagName}> is not allowed`);
      for (const attr of node.attrs ?? []) {
        if (attr.name.startsWith("on")) problems.push(`event handler ${attr.name} on <${node.tagName}>`);
        else if (!allowed?.includes(attr.name)) problems.push(`attribute ${attr.name} on <${node.tagName}> is not allowed`);
        if (URL_ATTRS.has(attr.name)) {
          let protocol = "";
          try {
            protocol = new URL(attr.value).protocol;
          } catch {
            protocol = "(unparseable)";
          }
          if (!SAFE_PROTOCOLS.has(protocol)) problems.push(`${attr.name}="${attr.value}" has scheme ${protocol}`);
        }
      }
    }
    if (node.nodeName === "#comment") problems.push("an HTML comment survived");
    for (const child of node.childNodes ?? []) visit(child);
    if (node.content) visit(node.content);
  };
  visit(parseFragment(html) as unknown as Node);
  return problems;
}

/** The inner HTML of every element with class="comment-body" in a page, via the parser. */
export { parseFragment };
