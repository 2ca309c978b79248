// The comment feeds (the site's, an article's) as plain feed data, for any format.
import { visibleArticleRefQuery } from "../articles/queries";
import { cacheTags } from "../cache";
import type { SiteSettings } from "../config";
import type { Db } from "../db/client";
import { FEED_SIZE, type Feed, type FeedEntry, feedUrlsFor, newestUpdate } from "../feeds/feed-data";
import { getTranslator, type Translate } from "../i18n";
import { absolutizeUrls, htmlToText, truncateText } from "../lib/html";
import { commentPermalinkUrl } from "./comment-pages";
import { type FeedComment, recentApprovedCommentsQuery } from "./feed-queries";
import { parseSafeUrl } from "./sanitize";

const SUMMARY_LENGTH = 240;

/** The newest approved comments on all visible articles, as a feed. */
export async function loadSiteCommentFeed(db: Db, site: SiteSettings, now: number): Promise<Feed> {
  const rows = await recentApprovedCommentsQuery(db, { now, limit: FEED_SIZE });
  const t = getTranslator(site.defaultLang, site.formOfAddress);
  const entries = rows.map((row) => toFeedEntry(site.url, t, row));
  const title = `${site.title} – ${t("feedComments")}`;
  return {
    title,
    description: site.description,
    lang: site.defaultLang,
    homeUrl: `${site.url}/`,
    feedUrls: feedUrlsFor(site.url, "/comments"),
    author: site.title,
    updated: newestUpdate(entries),
    entries,
    cache: { tags: [cacheTags.comments], changesAt: null },
  };
}

/** The newest approved comments on one visible article, as a feed; null when there is no such article. */
export async function loadArticleCommentFeed(db: Db, site: SiteSettings, slug: string, now: number): Promise<Feed | null> {
  const [[article], rows] = await db.batch([
    visibleArticleRefQuery(db, slug, now),
    recentApprovedCommentsQuery(db, { now, limit: FEED_SIZE, articleSlug: slug }),
  ]);
  if (!article) return null;
  const t = getTranslator(article.lang, site.formOfAddress);
  const entries = rows.map((row) => toFeedEntry(site.url, t, row));
  const path = `/articles/${article.slug}`;
  return {
    title: t("feedCommentsOn", { title: article.title }),
    description: `${t("feedCommentsOn", { title: article.title })} – ${site.title}`,
    lang: article.lang,
    homeUrl: `${site.url}${path}`,
    feedUrls: feedUrlsFor(site.url, `${path}/comments`),
    author: site.title,
    updated: newestUpdate(entries),
    entries,
    cache: { tags: [cacheTags.articleComments(article.id)], changesAt: null },
  };
}

function toFeedEntry(siteUrl: string, t: Translate, row: FeedComment): FeedEntry {
  // The id stays what it always was (feed readers key entries by it); the link follows the comment to its page.
  const id = `${siteUrl}/articles/${row.articleSlug}#comment-${row.id}`;
  const website = row.url ? parseSafeUrl(row.url) : null;
  return {
    id,
    url: commentPermalinkUrl(siteUrl, row.id),
    title: t("feedCommentTitle", { author: row.author, title: row.articleTitle }),
    summary: truncateText(htmlToText(row.bodyHtml), SUMMARY_LENGTH),
    // Links to the site's own pages are paths (an imported comment's links to the old site's posts): absolute in a feed.
    contentHtml: absolutizeUrls(row.bodyHtml, siteUrl),
    published: row.createdAt,
    updated: row.createdAt,
    author: row.author,
    authorUrl: website && /^https?:/.test(website) ? website : null,
    categories: [],
    lang: row.articleLang,
  };
}
