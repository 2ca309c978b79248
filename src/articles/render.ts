import type { Db } from "../db/client";
import { getArticleMarkdown, type RenderedHtml, setRenderedHtml, setRenderedHtmlOfMany } from "./html-queries";
import { htmlVersionFor, renderArticleHtml } from "./markdown";
import type { ArticleDetail } from "./queries";

/** What getArticleHtml reads of an article or a page (src/pages/queries.ts). */
type StoredHtml = Pick<ArticleDetail, "id" | "bodyHash" | "bodyHtml" | "htmlVersion" | "excerpt">;

/** What a page or feed shows of the rendered body. */
export interface ArticleHtml {
  html: string;
  excerpt: string;
}

/**
 * The article's (or page's) HTML. Stored HTML of the current version is used as is; only
 * an article whose body or renderer changed since it was stored is rendered
 * (its Markdown read then, not on every request), and the result is written
 * back through `defer` so the next reader does not pay for it again.
 */
export async function getArticleHtml(db: Db, article: StoredHtml, defer: (p: Promise<unknown>) => void): Promise<ArticleHtml> {
  const version = htmlVersionFor(article.bodyHash);
  if (article.bodyHtml !== null && article.htmlVersion === version) {
    return { html: article.bodyHtml, excerpt: article.excerpt ?? "" };
  }
  const rendered = renderArticleHtml((await getArticleMarkdown(db, article.id)) ?? "");
  defer(setRenderedHtml(db, article.id, article.bodyHash, { ...rendered, htmlVersion: version }));
  return rendered;
}

/**
 * getArticleHtml for a list whose query brought the Markdown of stale
 * articles along (listFeedArticles): no query per article; the stale ones are
 * rendered here and stored back in one batch through `defer`.
 */
export function getListedArticlesHtml(
  db: Db,
  rows: { id: number; bodyHash: string; bodyHtml: string | null; excerpt: string | null; staleMarkdown: string | null }[],
  defer: (p: Promise<unknown>) => void,
): ArticleHtml[] {
  const fresh: RenderedHtml[] = [];
  const result = rows.map((row) => {
    if (row.staleMarkdown === null) return { html: row.bodyHtml ?? "", excerpt: row.excerpt ?? "" };
    const rendered = renderArticleHtml(row.staleMarkdown);
    fresh.push({ id: row.id, bodyHash: row.bodyHash, rendered: { ...rendered, htmlVersion: htmlVersionFor(row.bodyHash) } });
    return rendered;
  });
  if (fresh.length > 0) defer(setRenderedHtmlOfMany(db, fresh));
  return result;
}
