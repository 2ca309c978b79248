// WordPress's classic editor stores paragraphs as blank lines, and wpautop()
// turns them into <p> (and single newlines into <br>) when the post is shown.
// This is the part of it that matters for Markdown: like wpautop, block-level
// tags get blank lines around them first, so they are never wrapped; text
// between them becomes paragraphs; <pre> is never touched.
const BLOCKS =
  "table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|object|embed|script";
const OPEN_BLOCK = new RegExp(`(<(?:${BLOCKS})[\\s/>])`, "gi");
const CLOSE_BLOCK = new RegExp(`(</(?:${BLOCKS})>)`, "gi");
const BLOCK_START = new RegExp(`^(?:<\\/?(?:${BLOCKS})[\\s/>]|<!--|\\u0000)`, "i");

/** Paragraphs from blank lines, as wpautop() makes them. */
export function addParagraphs(html: string): string {
  const kept: string[] = [];
  const text = html
    .replace(/\r\n?/g, "\n")
    .replace(/<pre[\s>][\s\S]*?<\/pre>/gi, (pre) => `\n\n\u0000${kept.push(pre) - 1}\u0000\n\n`)
    .replace(OPEN_BLOCK, "\n\n$1")
    .replace(CLOSE_BLOCK, "$1\n\n");
  const blocks = text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== "");
  const out = blocks.map((block) => (BLOCK_START.test(block) ? block : `<p>${block.replace(/\n/g, "<br />\n")}</p>`)).join("\n\n");
  return out.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)] ?? "");
}
