// What every feed format is rendered from: plain data with absolute URLs,
// made by the articles and comments domains, rendered by rss.ts, atom.ts and
// json-feed.ts. Also the formats themselves, for routes and autodiscovery.
import type { Language } from "../db/schema";

export interface FeedEntry {
  /** Stable and absolute: the article's URL, or a comment's URL with its fragment. */
  id: string;
  url: string;
  title: string;
  /** Plain text. */
  summary: string;
  /** Trusted HTML (an article body, a sanitized comment) with absolute URLs; null when there is none. */
  contentHtml: string | null;
  /** Epoch ms. */
  published: number;
  updated: number;
  author: string | null;
  /** An author's website (comments), already checked to be http(s). */
  authorUrl: string | null;
  categories: string[];
  lang: Language;
}

export interface Feed {
  title: string;
  description: string;
  lang: Language;
  /** The HTML page the feed follows. */
  homeUrl: string;
  /** This feed in each format, absolute. */
  feedUrls: Record<FeedFormat, string>;
  /** Who wrote what has no author of its own: the site. */
  author: string;
  /** Epoch ms of the newest change among the entries (0 when there are none). */
  updated: number;
  entries: FeedEntry[];
  /** Not rendered: what the feed shows, as edge cache tags, and when it changes by itself (a scheduled article). */
  cache: { tags: string[]; changesAt: number | null };
}

export type FeedFormat = "rss" | "atom" | "json";

export interface FeedFormatInfo {
  format: FeedFormat;
  /** The last path segment: /feed.xml, /tags/x/atom.xml … */
  file: string;
  /** The media type, for Content-Type and <link type>. */
  type: string;
  name: string;
}

export const FEED_FORMATS: readonly FeedFormatInfo[] = [
  { format: "rss", file: "feed.xml", type: "application/rss+xml", name: "RSS" },
  { format: "atom", file: "atom.xml", type: "application/atom+xml", name: "Atom" },
  { format: "json", file: "feed.json", type: "application/feed+json", name: "JSON Feed" },
];

/** Feeds served in each format take at most this many entries, newest first. */
export const FEED_SIZE = 20;

/** The absolute URL of each format of the feed at `basePath` ("" for the site, "/tags/x", …). */
export function feedUrlsFor(siteUrl: string, basePath: string): Record<FeedFormat, string> {
  const urls = {} as Record<FeedFormat, string>;
  for (const { format, file } of FEED_FORMATS) urls[format] = `${siteUrl}${basePath}/${file}`;
  return urls;
}

/** The newest `updated` among the entries, or 0. */
export function newestUpdate(entries: FeedEntry[]): number {
  return entries.reduce((max, entry) => Math.max(max, entry.updated), 0);
}
