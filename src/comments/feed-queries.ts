// SQL for the comment feeds: the newest approved comments on visible articles.
// Public output: never the e-mail address, the IP hash or the user agent.
import { and, desc, eq } from "drizzle-orm";
import { isVisibleArticle } from "../articles/visibility";
import type { Db } from "../db/client";
import { articles, COMMENT_APPROVED, comments } from "../db/schema";

/** The query for the newest approved comments, site-wide or on one article; run it alone or in a batch. */
export function recentApprovedCommentsQuery(db: Db, opts: { now: number; limit: number; articleSlug?: string }) {
  return db
    .select({
      id: comments.id,
      author: comments.author,
      url: comments.url,
      bodyHtml: comments.bodyHtml,
      createdAt: comments.createdAt,
      articleSlug: articles.slug,
      articleTitle: articles.title,
      articleLang: articles.lang,
    })
    .from(comments)
    .innerJoin(articles, eq(articles.id, comments.articleId))
    .where(and(eq(comments.status, COMMENT_APPROVED), isVisibleArticle(opts.now), opts.articleSlug ? eq(articles.slug, opts.articleSlug) : undefined))
    .orderBy(desc(comments.createdAt), desc(comments.id))
    .limit(opts.limit);
}

export type FeedComment = Awaited<ReturnType<typeof recentApprovedCommentsQuery>>[number];
