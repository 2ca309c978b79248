// What an article page announces in its head besides title and description:
// its comment feed, and the facts for Open Graph, JSON-LD and hreflang.
import type { ArticleDetail } from "../articles/queries";
import type { SiteSettings } from "../config";
import { getTranslator } from "../i18n";
import { findFirstImageUrl, resolveHttpUrl } from "../lib/html";
import type { PageFeed } from "./head-links";
import type { ArticleFacts } from "./social-meta";

/** The article page's feeds and facts, from the article and its HTML. */
export function describeArticleHead(site: SiteSettings, article: ArticleDetail, html: string): { feeds: PageFeed[]; article: ArticleFacts } {
  const path = `/articles/${article.slug}`;
  // Like WordPress: a comment feed while comments are open or there are comments to read.
  const hasComments = article.comments === "open" || article.commentCount > 0;
  const title = getTranslator(article.lang, site.formOfAddress)("feedCommentsOn", { title: article.title });
  return {
    feeds: hasComments ? [{ title, basePath: `${path}/comments` }] : [],
    article: {
      publishedAt: article.publishedAt,
      updatedAt: Math.max(article.publishedAt, article.updatedAt),
      author: article.author,
      tags: article.tags.map((tag) => tag.name),
      // The article's own image at its full size; else, as before it had one, the body's first image.
      image: (article.image && resolveHttpUrl(article.image.url, site.url)) || findFirstImageUrl(html, `${site.url}${path}`),
      translations: article.translations.map((tr) => ({ lang: tr.lang, path: `/articles/${tr.slug}` })),
    },
  };
}
