const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " ", apos: "'" };

/** A numeric character reference's character; nothing for a code point that cannot be one (fromCodePoint would throw). */
function decodeCodePoint(code: number): string {
  return Number.isInteger(code) && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : "";
}

/** Decodes the named entities marked writes and every numeric reference. */
function decodeEntities(text: string): string {
  return text
    .replace(/&(amp|lt|gt|quot|#39|nbsp|apos);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/&#(\d{1,7});/g, (_, code: string) => decodeCodePoint(Number(code)))
    .replace(/&#x([0-9a-f]{1,6});/gi, (_, code: string) => decodeCodePoint(Number.parseInt(code, 16)));
}

/** Turns a fragment of HTML into plain text: tags dropped, common entities decoded. */
export function htmlToText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, " ").replace(/<[^>]*>/g, ""))
    .replace(/\s+/g, " ")
    .trim();
}

// Block boundaries become spaces (words in adjacent cells or items stay apart);
// inline tags vanish, so "Online<em>marketing</em>" stays one word.
const BLOCK_TAG = /<\/?(?:p|h[1-6]|li|ul|ol|dl|dt|dd|blockquote|pre|table|thead|tbody|tr|td|th|div|section|figure|figcaption|br|hr|img)\b[^>]*>/gi;
const INVISIBLE_ELEMENT = /<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const PRIVATE_USE = /[\p{Co}]/gu;

/** The plain text of a whole rendered document, for search: tags dropped, entities decoded, whitespace collapsed, private-use characters removed. */
export function htmlToPlainText(html: string): string {
  const withoutTags = html
    .replace(INVISIBLE_ELEMENT, " ")
    .replace(BLOCK_TAG, " ")
    .replace(/<[^>]*>/g, "");
  return decodeEntities(withoutTags).replace(PRIVATE_USE, "").replace(/\s+/g, " ").trim();
}

/** Shortens text to at most `max` characters, cutting at a word boundary. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, "")}…`;
}

// An <img>, or the link the Markdown renderer writes for an image on another host (the reader's browser does
// not load it; a site that shows a shared link fetches og:image itself).
const FIRST_IMAGE = /<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')|<a class="outside-image" href="([^"]*)"/i;

/**
 * The absolute http(s) URL of the first image in HTML, resolved against
 * `baseUrl`, or null. A cheap scan, meant for HTML this site rendered.
 */
export function findFirstImageUrl(html: string, baseUrl: string): string | null {
  const match = FIRST_IMAGE.exec(html);
  const src = match?.[1] ?? match?.[2] ?? match?.[3];
  if (!src) return null;
  return resolveHttpUrl(decodeAttribute(src), baseUrl);
}

/**
 * Rewrites root-relative src and href attributes ("/media/x.svg") to absolute
 * URLs on the origin of `pageUrl`, as a browser would resolve them there: for
 * HTML read away from the site (feeds).
 */
export function absolutizeUrls(html: string, pageUrl: string): string {
  const origin = escapeHtml(new URL(pageUrl).origin);
  return html.replace(/(\s(?:src|href)=")\/(?!\/)/gi, `$1${origin}/`);
}

function decodeAttribute(value: string): string {
  return value.replace(/&(amp|lt|gt|quot|#39);/g, (_, name: string) => ENTITIES[name] ?? "");
}

/** `value` resolved against `baseUrl` when the result is an http(s) URL, else null. */
export function resolveHttpUrl(value: string, baseUrl: string): string | null {
  try {
    const url = new URL(value.trim(), baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
