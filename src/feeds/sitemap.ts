// The sitemap (https://www.sitemaps.org/protocol.html) and robots.txt.
import { rfc3339, XML_DECLARATION, xmlElement } from "./xml";

export interface SitemapEntry {
  /** Absolute. */
  url: string;
  /** Epoch ms of the last change, or null when unknown. */
  lastModified: number | null;
}

/** One sitemap file may list at most this many URLs. */
const SITEMAP_MAX_URLS = 50_000;

/** The entries as a sitemap urlset, cut at the protocol's limit. */
export function renderSitemap(entries: SitemapEntry[]): string {
  const urls = entries.slice(0, SITEMAP_MAX_URLS).map((entry) => {
    const lastmod = entry.lastModified !== null ? xmlElement("lastmod", rfc3339(entry.lastModified)) : "";
    return `<url>${xmlElement("loc", entry.url)}${lastmod}</url>`;
  });
  return `${XML_DECLARATION}\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${urls.join("\n")}\n</urlset>\n`;
}

/** A sitemap index: the absolute URLs of the sitemap parts. */
export function renderSitemapIndex(partUrls: string[]): string {
  const parts = partUrls.map((url) => `<sitemap>${xmlElement("loc", url)}</sitemap>`);
  return `${XML_DECLARATION}\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${parts.join("\n")}\n</sitemapindex>\n`;
}

/**
 * robots.txt: everything may be crawled but the admin; the sitemap's absolute
 * URL. Disallow comes first: crawlers that take the first matching rule
 * (Python's robotparser) and those that take the longest (RFC 9309) agree.
 */
export function renderRobotsTxt(siteUrl: string): string {
  return ["User-agent: *", "Disallow: /admin/", "Allow: /", "", `Sitemap: ${siteUrl}/sitemap.xml`, ""].join("\n");
}
