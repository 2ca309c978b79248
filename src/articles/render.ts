import type { Db } from "../db/client";
import { htmlVersionFor, type RenderedArticle, renderArticleHtml } from "./markdown";
import { type ArticleDetail, getArticleMarkdown, setRenderedHtml } from "./queries";

/**
 * The article's HTML. Stored HTML of the current version is used as is; only
 * an article whose body or renderer changed since it was stored is rendered
 * (its Markdown read then, not on every request), and the result is written
 * back through `defer` so the next reader does not pay for it again.
 */
export async function getArticleHtml(db: Db, article: ArticleDetail, defer: (p: Promise<unknown>) => void): Promise<RenderedArticle> {
  const version = htmlVersionFor(article.bodyHash);
  if (article.bodyHtml !== null && article.htmlVersion === version) {
    return { html: article.bodyHtml, excerpt: article.excerpt ?? "" };
  }
  const rendered = renderArticleHtml((await getArticleMarkdown(db, article.id)) ?? "");
  defer(setRenderedHtml(db, article.id, article.bodyHash, { ...rendered, htmlVersion: version }));
  return rendered;
}
