// JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/).
import type { Feed, FeedEntry } from "./feed-data";
import { removeIllegalXmlChars, rfc3339 } from "./xml";

/** The feed as a JSON Feed 1.1 document. */
export function renderJsonFeed(feed: Feed): string {
  const document = {
    version: "https://jsonfeed.org/version/1.1",
    title: feed.title,
    home_page_url: feed.homeUrl,
    feed_url: feed.feedUrls.json,
    ...(feed.description ? { description: feed.description } : {}),
    language: feed.lang,
    authors: [{ name: feed.author }],
    items: feed.entries.map(renderItem),
  };
  // The characters the XML formats drop have no place in this feed either.
  const clean = (_key: string, value: unknown) => (typeof value === "string" ? removeIllegalXmlChars(value) : value);
  return `${JSON.stringify(document, clean, 2)}\n`;
}

function renderItem(entry: FeedEntry) {
  return {
    id: entry.id,
    url: entry.url,
    title: entry.title,
    ...(entry.contentHtml !== null ? { content_html: entry.contentHtml } : { content_text: entry.summary }),
    summary: entry.summary,
    date_published: rfc3339(entry.published),
    date_modified: rfc3339(entry.updated),
    ...(entry.author ? { authors: [{ name: entry.author, ...(entry.authorUrl ? { url: entry.authorUrl } : {}) }] } : {}),
    ...(entry.categories.length > 0 ? { tags: entry.categories } : {}),
    language: entry.lang,
  };
}
