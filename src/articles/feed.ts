// The article feeds (the site's, a tag's) as plain feed data, for any format.

import { cacheTags } from "../cache";
import type { SiteSettings } from "../config";
import type { Db } from "../db/client";
import { FEED_SIZE, type Feed, type FeedEntry, feedUrlsFor, newestUpdate } from "../feeds/feed-data";
import { getTranslator } from "../i18n";
import { absolutizeUrls } from "../lib/html";
import { type FeedArticle, listFeedArticles } from "./feed-queries";
import { type ArticleHtml, listArticleHtml } from "./render";

export interface ArticleFeedOptions {
  now: number;
  /** Only the articles with this tag; the feed is null when none is visible. */
  tagSlug?: string;
}

/** The newest visible articles, with their full HTML, as a feed; null for a tag without visible articles. */
export async function loadArticleFeed(db: Db, site: SiteSettings, opts: ArticleFeedOptions): Promise<Feed | null> {
  const { items: rows, nextScheduledAt } = await listFeedArticles(db, {
    now: opts.now,
    limit: FEED_SIZE,
    defaultLang: site.defaultLang,
    tagSlug: opts.tagSlug,
  });
  if (opts.tagSlug && rows.length === 0) return null;
  const entries = (await listArticleHtml(db, rows)).map(({ row, body }) => toFeedEntry(site.url, row, body));
  const basePath = opts.tagSlug ? `/tags/${opts.tagSlug}` : "";
  const tagName = opts.tagSlug ? (rows[0]?.tags.find((tag) => tag.slug === opts.tagSlug)?.name ?? opts.tagSlug) : null;
  const t = getTranslator(site.defaultLang, site.formOfAddress);
  return {
    title: tagName ? `${site.title} – ${t("feedTag", { tag: tagName })}` : site.title,
    description: site.description,
    lang: site.defaultLang,
    homeUrl: `${site.url}${basePath || "/"}`,
    feedUrls: feedUrlsFor(site.url, basePath),
    author: site.title,
    updated: newestUpdate(entries),
    entries,
    cache: {
      tags: [opts.tagSlug ? cacheTags.tag(opts.tagSlug) : cacheTags.feeds, ...rows.map((row) => cacheTags.article(row.slug))],
      changesAt: nextScheduledAt,
    },
  };
}

function toFeedEntry(siteUrl: string, row: FeedArticle, rendered: ArticleHtml): FeedEntry {
  const url = `${siteUrl}/articles/${row.slug}`;
  return {
    id: url,
    url,
    title: row.title,
    summary: row.summary || rendered.excerpt,
    contentHtml: absolutizeUrls(rendered.html, url),
    published: row.publishedAt,
    // A scheduled article can carry an older updated date than its publish date.
    updated: Math.max(row.publishedAt, row.updatedAt),
    author: row.author,
    authorUrl: null,
    categories: row.tags.map((tag) => tag.name),
    lang: row.lang,
  };
}
