// Shortcodes in post content: [caption] becomes a <figure> with its caption;
// everything else that looks like a shortcode is kept as text and reported.
const KNOWN = ["gallery", "embed", "audio", "video", "playlist", "caption", "wp_caption"];
const CAPTION = /\[(?:wp_)?caption([^\]]*)\]([\s\S]*?)\[\/(?:wp_)?caption\]/g;
// A known name, a name with attributes, or a [name]…[/name] pair: prose in brackets is not a shortcode.
const SHORTCODE = /\[(\/?)([a-zA-Z][\w-]*)((?:\s+[^\]]*)?)\/?\]/g;

/** [caption …]<img> text[/caption] as <figure><img><figcaption>text</figcaption></figure>. */
export function replaceCaptions(html: string): string {
  return html.replace(CAPTION, (_, attributes: string, inner: string) => {
    const caption = /\bcaption="([^"]*)"/.exec(attributes)?.[1];
    const media = /^\s*((?:<a\b[^>]*>\s*)?<img\b[^>]*>(?:\s*<\/a>)?)([\s\S]*)$/i.exec(inner);
    const image = media?.[1] ?? inner;
    const text = (caption ?? media?.[2] ?? "").trim();
    return `<figure>${image.trim()}${text ? `<figcaption>${text}</figcaption>` : ""}</figure>`;
  });
}

/** Names of the shortcodes left in the text, each once, in order of appearance. */
export function listShortcodes(html: string): string[] {
  const names = new Set<string>();
  const closed = new Set([...html.matchAll(SHORTCODE)].filter((m) => m[1] === "/").map((m) => (m[2] ?? "").toLowerCase()));
  for (const m of html.matchAll(SHORTCODE)) {
    const name = (m[2] ?? "").toLowerCase();
    if (m[1] === "/") continue;
    if (KNOWN.includes(name) || /=/.test(m[3] ?? "") || closed.has(name)) names.add(name);
  }
  return [...names];
}

/**
 * Replaces every shortcode (opening, closing or self-closing tag of a name
 * listShortcodes found) with a placeholder, so that the HTML-to-Markdown
 * conversion leaves its text as written; `restore` puts it back as Markdown
 * text: its attributes may hold anything ("<img onerror=…>", "](javascript:"),
 * so what marked would read as a link, HTML, code or an entity is escaped.
 */
export function protectShortcodes(html: string, names: string[]): { html: string; restore: (markdown: string) => string } {
  const kept: string[] = [];
  const wanted = new Set(names);
  const protectedHtml = html.replace(SHORTCODE, (whole, _slash: string, name: string) =>
    wanted.has(name.toLowerCase()) ? `WPSHORTCODE${kept.push(whole) - 1}X` : whole,
  );
  const restore = (markdown: string) => markdown.replace(/WPSHORTCODE(\d+)X/g, (_, i: string) => escapeShortcode(kept[Number(i)] ?? ""));
  return { html: protectedHtml, restore };
}

function escapeShortcode(text: string): string {
  return text.replace(/[\\[\]`<]|&(?=#?[a-z0-9]+;)/gi, "\\$&");
}
