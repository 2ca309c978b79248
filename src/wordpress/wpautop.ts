// WordPress's classic editor stores paragraphs as blank lines, and wpautop()
// turns them into <p> (and single newlines into <br>) when the post is shown.
// This is the part of it that matters for Markdown: blocks that start with a
// block-level tag stay as they are, <pre> is never touched.
const BLOCK_START =
  /^<(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary|iframe|video|audio|object|embed|script|!--)/i;

/** Paragraphs from blank lines, as wpautop() makes them. */
export function addParagraphs(html: string): string {
  const kept: string[] = [];
  const text = html.replace(/\r\n?/g, "\n").replace(/<pre[\s>][\s\S]*?<\/pre>/gi, (pre) => `\u0000${kept.push(pre) - 1}\u0000`);
  const blocks = text
    .split(/\n\s*\n/)
    .map((block) => block.trim())
    .filter((block) => block !== "");
  const html2 = blocks
    .map((block) => (BLOCK_START.test(block) || /^\u0000\d+\u0000$/.test(block) ? block : `<p>${block.replace(/\n/g, "<br />\n")}</p>`))
    .join("\n\n");
  return html2.replace(/\u0000(\d+)\u0000/g, (_, i: string) => kept[Number(i)] ?? "");
}
