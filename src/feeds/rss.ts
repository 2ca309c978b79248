// RSS 2.0 (https://www.rssboard.org/rss-specification), with the modules
// feed readers expect: atom:link rel="self", content:encoded for the full
// HTML and dc:creator for authors (RSS's own <author> wants an e-mail address).
//
// Feed readers render RSS's text elements (title, description, dc:creator,
// category) as HTML, so what a reader typed goes in escaped for HTML first and
// then for XML: `<img onerror=…>` in a name reaches the reader's screen as those
// characters, never as an element. The only markup is content:encoded, which
// holds trusted HTML (an article, a sanitized comment).
import { escapeHtml } from "../lib/html";
import type { Feed, FeedEntry } from "./feed-data";
import { rfc822, XML_DECLARATION, xmlAttributes, xmlElement, xmlEmptyElement } from "./xml";

const NAMESPACES = {
  "xmlns:atom": "http://www.w3.org/2005/Atom",
  "xmlns:content": "http://purl.org/rss/1.0/modules/content/",
  "xmlns:dc": "http://purl.org/dc/elements/1.1/",
};

/** An element holding text that stays text when a reader renders it as HTML. */
function textElement(name: string, text: string): string {
  return xmlElement(name, escapeHtml(text));
}

/** The feed as an RSS 2.0 document. */
export function renderRss(feed: Feed): string {
  const channel = [
    textElement("title", feed.title),
    xmlElement("link", feed.homeUrl),
    textElement("description", feed.description || feed.title),
    xmlElement("language", feed.lang),
    xmlEmptyElement("atom:link", { href: feed.feedUrls.rss, rel: "self", type: "application/rss+xml" }),
    ...(feed.updated > 0 ? [xmlElement("lastBuildDate", rfc822(feed.updated))] : []),
    ...feed.entries.map(renderItem),
  ];
  return `${XML_DECLARATION}\n<rss${xmlAttributes({ version: "2.0", ...NAMESPACES })}>\n<channel>\n${channel.join("\n")}\n</channel>\n</rss>\n`;
}

function renderItem(entry: FeedEntry): string {
  const parts = [
    textElement("title", entry.title),
    xmlElement("link", entry.url),
    xmlElement("guid", entry.id, { isPermaLink: entry.id === entry.url ? "true" : "false" }),
    xmlElement("pubDate", rfc822(entry.published)),
    ...(entry.author ? [textElement("dc:creator", entry.author)] : []),
    ...entry.categories.map((name) => textElement("category", name)),
    textElement("description", entry.summary),
    ...(entry.contentHtml !== null ? [xmlElement("content:encoded", entry.contentHtml)] : []),
  ];
  return `<item>\n${parts.join("\n")}\n</item>`;
}
