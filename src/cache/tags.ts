// Edge cache tags: what a cached page shows, so that purging a tag drops
// exactly the pages that show it. Pure: used by the Worker and the publish CLI.
// Each page picks its own tags where it is built (route or loader).

/** What a page shows, as cache tags: purging a tag drops every page carrying it. */
export const cacheTags = {
  /** The home page and its further pages. */
  lists: "list",
  /** The site's article feeds. */
  feeds: "feed",
  /** The site-wide comment feed. */
  comments: "comments",
  sitemap: "sitemap",
  /** Search result pages: any publish may change what a query finds. */
  search: "search",
  /** The archive (by month) and the tag index: counts that any publish may change. */
  archive: "archive",
  /** Every HTML page that shows the header and footer links to pages (content/pages). */
  nav: "nav",
  /** Pages that state the Worker's settings (the privacy page's processing section): purged by every deploy. */
  settings: "settings",
  /** The article's own content: its page, and every list or feed that shows it. */
  article: (slug: string) => `a:${slug}`,
  /** The article's approved comments: its page, its comment feeds, and the counts in lists. */
  articleComments: (articleId: number) => `c:${articleId}`,
  /** A tag's pages and feeds. */
  tag: (slug: string) => `t:${slug}`,
  /** Article pages of one translation group (their hreflang links). */
  translations: (key: string) => `tr:${key}`,
};

/** The pages that show these articles' approved comments: their pages, the counts in lists, the comment feeds. */
export function commentPageTags(articleIds: number[]): string[] {
  if (articleIds.length === 0) return [];
  return [...new Set(articleIds)].map(cacheTags.articleComments).concat(cacheTags.comments);
}

// At most 203 characters: well within the 1,024 a purge call takes (PURGE_MAX_TAG_CHARS).
const TAG_PATTERN = /^(?:list|feed|comments|sitemap|search|archive|nav|settings|[at]:[a-z0-9-]{1,200}|c:\d{1,15}|tr:[a-z0-9-]{1,200})$/;

/** Whether a string is a tag this site uses (for the purge endpoint's input). */
export function isCacheTag(value: unknown): value is string {
  return typeof value === "string" && TAG_PATTERN.test(value);
}
