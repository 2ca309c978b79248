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

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', "#39": "'", nbsp: " " };

/** Turns a fragment of HTML into plain text: tags dropped, common entities decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<br\s*\/?>/gi, " ")
    .replace(/<[^>]*>/g, "")
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (_, name: string) => ENTITIES[name] ?? "")
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/\s+/g, " ")
    .trim();
}

/** Shortens text to at most `max` characters, cutting at a word boundary. */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,.;:–-]+$/, "")}…`;
}

const FIRST_IMAGE = /<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)')/i;

/**
 * The absolute http(s) URL of the first image in HTML, resolved against
 * `baseUrl`, or null. A cheap scan, meant for HTML this site rendered.
 */
export function findFirstImageUrl(html: string, baseUrl: string): string | null {
  const match = FIRST_IMAGE.exec(html);
  const src = match?.[1] ?? match?.[2];
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

function resolveHttpUrl(value: string, baseUrl: string): string | null {
  try {
    const url = new URL(value.trim(), baseUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}
