// SQL on articles for the article feeds: the list in one query, with what a
// feed entry needs (tags, its body).
import { and, desc } from "drizzle-orm";
import type { Db } from "../db/client";
import { type Bound, type Holders, reusableQuery } from "../db/reuse";
import { articles, type Language } from "../db/schema";
import { type ArticleSummary, entryColumns, hasTag, parseTagList, storedBodyColumns } from "./queries";
import type { StoredHtml } from "./render";
import { representsGroup } from "./translations";
import { isVisibleArticle, nextScheduledSql } from "./visibility";

/** An article as a feed shows it: a list entry with its body (no comment count). */
export interface FeedArticle extends Omit<ArticleSummary, "commentCount" | "image" | "pinned">, StoredHtml {}

type FeedValues = { now: number; limit: number; defaultLang: Language; tagSlug: string | null };

// Built once per isolate and shape (the site's feed, a tag's feed): it runs on every feed request.
const feedArticles = reusableQuery(
  (db, p: Holders<FeedValues>, values: FeedValues) => {
    // In the shape with a tag its value is never null.
    const tagSlug = values.tagSlug === null ? undefined : (p.tagSlug as Bound<string>);
    return db
      .select({
        ...entryColumns,
        ...storedBodyColumns,
        nextScheduled: nextScheduledSql(p.now),
      })
      .from(articles)
      .where(and(isVisibleArticle(p.now), tagSlug ? hasTag(tagSlug) : undefined, representsGroup(p.now, p.defaultLang, tagSlug)))
      .orderBy(desc(articles.publishedAt), desc(articles.id))
      .limit(p.limit);
  },
  (values) => (values.tagSlug === null ? "all" : "tag"),
);

/** The newest visible articles (optionally of one tag), one per translation group, with tags and HTML, in one query. */
export async function listFeedArticles(
  db: Db,
  opts: { now: number; limit: number; defaultLang: Language; tagSlug?: string },
): Promise<{ items: FeedArticle[]; nextScheduledAt: number | null }> {
  const rows = await feedArticles(db, { now: opts.now, limit: opts.limit, defaultLang: opts.defaultLang, tagSlug: opts.tagSlug ?? null });
  return {
    items: rows.map(({ tagList, nextScheduled: _next, ...row }) => ({ ...row, publishedAt: row.publishedAt ?? 0, tags: parseTagList(tagList) })),
    nextScheduledAt: rows[0]?.nextScheduled ?? null,
  };
}
