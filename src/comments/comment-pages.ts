// Comment page arithmetic, as WordPress pages comments: pages numbered from the
// oldest threads; the article URL shows the default page, which therefore has
// no comment-page URL of its own.
import type { CommentPageOrder, ReaderSettings } from "../config";
import type { CommentPlace } from "./thread-queries";

/** How many comment pages an article with this many approved top-level comments has (at least 1). */
export function countCommentPages(threads: number, perPage: number): number {
  return perPage > 0 ? Math.max(1, Math.ceil(threads / perPage)) : 1;
}

/** The page the article URL shows. */
export function getDefaultCommentPage(pages: number, order: CommentPageOrder): number {
  return order === "newest" ? pages : 1;
}

/** The path of a comment page: the article's own for the default page. */
export function commentPagePath(slug: string, page: number, defaultPage: number): string {
  return page === defaultPage ? `/articles/${slug}` : `/articles/${slug}/comment-page-${page}`;
}

/** The path (with fragment) of the page holding a comment, from its place among the threads. */
export function commentPermalinkPath(id: string, place: CommentPlace, settings: Pick<ReaderSettings, "commentsPerPage" | "commentsDefaultPage">): string {
  const perPage = settings.commentsPerPage;
  const pages = countCommentPages(place.threads, perPage);
  const page = perPage > 0 ? Math.floor(place.threadsBefore / perPage) + 1 : 1;
  return `${commentPagePath(place.slug, page, getDefaultCommentPage(pages, settings.commentsDefaultPage))}#comment-${id}`;
}

/** The URL of a comment for feeds and links from elsewhere: it answers with a redirect to the page that holds it. */
export function commentPermalinkUrl(siteUrl: string, id: string): string {
  return `${siteUrl}/comments/${id}`;
}
