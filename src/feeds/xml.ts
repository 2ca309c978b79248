// XML text for feeds and the sitemap: escaped by default, and without the
// characters XML 1.0 does not allow at all (escaping cannot make those legal,
// and one of them makes a strict parser reject the whole feed).

// Allowed: tab, LF, CR, U+0020–U+D7FF, U+E000–U+FFFD, U+10000–U+10FFFF. With
// the u flag a lone surrogate is a code point of its own, outside these ranges.
const ILLEGAL_XML_CHARS = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Drops characters that XML 1.0 forbids (control characters, lone surrogates, U+FFFE/U+FFFF). */
export function removeIllegalXmlChars(text: string): string {
  return text.replace(ILLEGAL_XML_CHARS, "");
}

/** Text safe for XML element content and quoted attribute values. */
export function escapeXml(text: string): string {
  return removeIllegalXmlChars(text).replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** An element with escaped text content: <name>text</name>. */
export function xmlElement(name: string, text: string, attributes: Record<string, string> = {}): string {
  return `<${name}${xmlAttributes(attributes)}>${escapeXml(text)}</${name}>`;
}

/** An empty element: <name a="1"/>. */
export function xmlEmptyElement(name: string, attributes: Record<string, string>): string {
  return `<${name}${xmlAttributes(attributes)}/>`;
}

/** Attributes with escaped values, each with a leading space. */
export function xmlAttributes(attributes: Record<string, string>): string {
  return Object.entries(attributes)
    .map(([name, value]) => ` ${name}="${escapeXml(value)}"`)
    .join("");
}

/** RFC 3339 in UTC without milliseconds, as Atom, JSON Feed and sitemaps write dates. */
export function rfc3339(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** RFC 822 (RFC 1123 form, GMT), as RSS writes dates. */
export function rfc822(epochMs: number): string {
  return new Date(epochMs).toUTCString();
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>';
