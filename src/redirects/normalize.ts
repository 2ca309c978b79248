// The key a redirect is stored and looked up by: the path, percent-decoded,
// lower-case (WordPress slugs are; upload file names keep their case),
// without trailing slashes or invisible characters (src/lib/slug.ts), plus only the query parameters WordPress routes
// by, sorted (/?p=12 and /?utm_source=x&p=12 are the same page). Pure.

import { stripInvisible } from "../lib/slug";

/** Query parameters that address a page on a WordPress site, and so are part of the key. */
const WORDPRESS_QUERY_KEYS = ["attachment_id", "author", "cat", "p", "page_id", "tag"] as const;

/** The lookup key of a URL or path, or null when it cannot be one (not a path). */
export function normalizeRedirectKey(url: string): string | null {
  let parsed: URL;
  try {
    // A path that starts with "//" (WordPress links can: "https://site//greek/x/") is a path here, not a host.
    parsed = new URL(url.startsWith("/") ? `http://redirect.invalid${url}` : url);
  } catch {
    return null;
  }
  const segments = parsed.pathname
    .split("/")
    .map((s) => stripInvisible(decodeSegment(s)))
    .filter((s) => s !== "");
  const isUpload = segments[0] === "wp-content";
  const path = `/${segments.join("/")}`;
  const keyPath = (isUpload ? path : path.toLowerCase()).normalize("NFC");
  const query = WORDPRESS_QUERY_KEYS.flatMap((key) =>
    parsed.searchParams
      .getAll(key)
      .slice(0, 1)
      .map((v) => `${key}=${stripInvisible(v).trim().toLowerCase()}`),
  );
  return query.length > 0 ? `${keyPath}?${query.join("&")}` : keyPath;
}

/** True when the URL carries a query parameter WordPress routes by (those pages exist here too, e.g. /?p=1 is /). */
export function hasWordPressQuery(url: string): boolean {
  try {
    const params = new URL(url, "http://redirect.invalid").searchParams;
    return WORDPRESS_QUERY_KEYS.some((key) => params.has(key));
  } catch {
    return false;
  }
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
