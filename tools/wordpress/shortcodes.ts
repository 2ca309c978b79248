// Shortcodes in post content: [caption] becomes a <figure> with its caption;
// [gallery] the export's attachments as the gallery block's HTML; [embed],
// [video] and [audio] the forms html-to-markdown.ts turns into an embed (a
// provider's URL), the site's own player (an upload) or a link; everything
// else that looks like a shortcode is kept as text and reported.
import { findEmbed } from "../../src/articles/embeds";
import type { AttachmentIndex } from "./attachments";

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

const GALLERY = /\[gallery((?:\s+[^\]]*)?)\/?\]/gi;
const EMBED = /\[embed(?:\s+[^\]]*)?\]\s*([^\s[<>"]+)\s*\[\/embed\]/gi;
const MEDIA = /\[(video|audio)((?:\s+[^\]]*)?)\/?\](?:([\s\S]*?)\[\/\1\])?/gi;
const ATTRIBUTE = /([\w-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"']+))/g;
const MEDIA_SOURCES = new Map([
  ["video", ["src", "mp4", "m4v", "webm", "ogv", "mov", "wmv", "flv"]],
  ["audio", ["src", "mp3", "m4a", "ogg", "oga", "wav", "wma", "flac"]],
]);

/** A shortcode's attributes by name (lower case), in a Map: their names come from the export. */
function readAttributes(text: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const m of text.matchAll(ATTRIBUTE)) {
    const name = (m[1] ?? "").toLowerCase();
    if (!attributes.has(name)) attributes.set(name, m[2] ?? m[3] ?? m[4] ?? "");
  }
  return attributes;
}

const escapeAttribute = (text: string) =>
  text
    .replace(/&(?!#?[a-z0-9]+;)/gi, "&amp;")
    .replace(/"/g, "&quot;")
    .replace(/</g, "&lt;");

/**
 * [gallery ids="…"] (or include="…") as the gallery block's HTML of those
 * attachments, in that order; [gallery] without ids shows the post's own
 * attachments. A gallery whose attachments the export does not hold stays
 * a shortcode (and is reported).
 */
export function expandGalleries(html: string, postId: string, attachments: AttachmentIndex): string {
  return html.replace(GALLERY, (whole, text: string) => {
    const attributes = readAttributes(text);
    const ids = (attributes.get("ids") || attributes.get("include") || "").split(/[\s,]+/).filter((id) => id !== "");
    const found = ids.length > 0 ? ids.flatMap((id) => attachments.byId.get(id) ?? []) : (attachments.byParent.get(postId) ?? []);
    if (found.length === 0) return whole;
    const figures = found.map(
      (a) =>
        `<figure><img src="${escapeAttribute(a.url)}" alt="${escapeAttribute(a.alt)}">${a.caption.trim() ? `<figcaption>${a.caption}</figcaption>` : ""}</figure>`,
    );
    return `<figure class="wp-block-gallery">${figures.join("")}</figure>`;
  });
}

/**
 * [embed]URL[/embed], [video …] and [audio …] (after the media were mapped):
 * a provider's URL becomes a paragraph of it alone (an embed, once
 * converted), an upload copied to /media/ the site's own player, anything
 * else a link to it.
 */
export function replaceMediaShortcodes(html: string): string {
  return html
    .replace(EMBED, (_, url: string) => mediaLink(url))
    .replace(MEDIA, (whole, name: string, text: string) => {
      const kind = name.toLowerCase();
      const attributes = readAttributes(text);
      const url = (MEDIA_SOURCES.get(kind) ?? []).map((key) => attributes.get(key)?.trim() ?? "").find((value) => value !== "");
      if (!url) return whole;
      if (!url.startsWith("/media/")) return mediaLink(url);
      const poster = attributes.get("poster")?.startsWith("/media/") ? ` poster="${escapeAttribute(attributes.get("poster") ?? "")}"` : "";
      return `<${kind} controls preload="metadata" src="${escapeAttribute(url)}"${kind === "video" ? poster : ""}></${kind}>`;
    });
}

function mediaLink(url: string): string {
  const href = escapeAttribute(url);
  return findEmbed(url) ? `<p>${href}</p>` : `<p><a href="${href}">${href}</a></p>`;
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
