// SQL on articles for the article feeds: the list in one query, with what a
// feed entry needs (tags, its body).
import { and, desc } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles, type Language } from "../db/schema";
import { type ArticleSummary, entryColumns, hasTag, parseTagList, storedBodyColumns } from "./queries";
import type { StoredHtml } from "./render";
import { representsGroup } from "./translations";
import { isVisibleArticle, nextScheduledSql } from "./visibility";

/** An article as a feed shows it: a list entry with its body (no comment count). */
export interface FeedArticle extends Omit<ArticleSummary, "commentCount" | "image" | "pinned">, StoredHtml {}

/** The newest visible articles (optionally of one tag), one per translation group, with tags and HTML, in one query. */
export async function listFeedArticles(
  db: Db,
  opts: { now: number; limit: number; defaultLang: Language; tagSlug?: string },
): Promise<{ items: FeedArticle[]; nextScheduledAt: number | null }> {
  const rows = await db
    .select({
      ...entryColumns,
      ...storedBodyColumns,
      nextScheduled: nextScheduledSql(opts.now),
    })
    .from(articles)
    .where(and(isVisibleArticle(opts.now), opts.tagSlug ? hasTag(opts.tagSlug) : undefined, representsGroup(opts.now, opts.defaultLang, opts.tagSlug)))
    .orderBy(desc(articles.publishedAt), desc(articles.id))
    .limit(opts.limit);
  return {
    items: rows.map(({ tagList, nextScheduled: _next, ...row }) => ({ ...row, publishedAt: row.publishedAt ?? 0, tags: parseTagList(tagList) })),
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}
