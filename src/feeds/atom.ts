// Atom (RFC 4287). Entry ids are the articles' URLs (comments: with their
// fragment), so they stay the same across edits and renderer changes.
import type { Feed, FeedEntry } from "./feed-data";
import { rfc3339, XML_DECLARATION, xmlAttributes, xmlElement, xmlEmptyElement } from "./xml";

/** The feed as an Atom document. */
export function renderAtom(feed: Feed): string {
  const head = [
    xmlElement("id", feed.feedUrls.atom),
    xmlElement("title", feed.title),
    ...(feed.description ? [xmlElement("subtitle", feed.description)] : []),
    xmlElement("updated", rfc3339(feed.updated)),
    xmlEmptyElement("link", { rel: "self", type: "application/atom+xml", href: feed.feedUrls.atom }),
    xmlEmptyElement("link", { rel: "alternate", type: "text/html", href: feed.homeUrl }),
    // Required at feed level whenever an entry has no author of its own.
    `<author>${xmlElement("name", feed.author)}</author>`,
  ];
  const lang = xmlAttributes({ "xml:lang": feed.lang });
  const entries = feed.entries.map((entry) => renderEntry(entry, feed.lang));
  return `${XML_DECLARATION}\n<feed xmlns="http://www.w3.org/2005/Atom"${lang}>\n${[...head, ...entries].join("\n")}\n</feed>\n`;
}

function renderEntry(entry: FeedEntry, feedLang: string): string {
  const author = entry.author ? `<author>${xmlElement("name", entry.author)}${entry.authorUrl ? xmlElement("uri", entry.authorUrl) : ""}</author>` : null;
  const parts = [
    xmlElement("id", entry.id),
    xmlElement("title", entry.title, { type: "text" }),
    xmlEmptyElement("link", { rel: "alternate", type: "text/html", href: entry.url }),
    xmlElement("published", rfc3339(entry.published)),
    xmlElement("updated", rfc3339(entry.updated)),
    ...(author ? [author] : []),
    ...entry.categories.map((name) => xmlEmptyElement("category", { term: name })),
    xmlElement("summary", entry.summary, { type: "text" }),
    ...(entry.contentHtml !== null ? [xmlElement("content", entry.contentHtml, { type: "html", "xml:base": entry.url })] : []),
  ];
  const lang = entry.lang === feedLang ? "" : xmlAttributes({ "xml:lang": entry.lang });
  return `<entry${lang}>\n${parts.join("\n")}\n</entry>`;
}
