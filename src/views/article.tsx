import { raw } from "hono/html";
import type { ArticleDetail } from "../articles/queries";
import { ArticleImageView, PublishedLine, TagList } from "./article-meta";
import { DateTime, usePage } from "./page-context";
import { TranslationLinks } from "./translation-links";

/**
 * The one place where an article's rendered Markdown enters a page unescaped:
 * it comes from the editors' repository through the publish command, not from readers.
 * Static pages (src/views/static-page.tsx) come the same way and use it too.
 */
export function TrustedArticleBody(props: { html: string }) {
  return <div class="article-body">{raw(props.html)}</div>;
}

export function ArticleView(props: { article: ArticleDetail; html: string }) {
  const { t } = usePage();
  const { article } = props;
  const updated = article.updatedAt > article.publishedAt + 60_000;
  return (
    <article class="article">
      <header class="article-header">
        <h1>{article.title}</h1>
        <PublishedLine publishedAt={article.publishedAt} author={article.author} />
        <TranslationLinks own={article.lang} translations={article.translations} />
        {updated && (
          <p class="meta">
            {t("updatedOn")} <DateTime at={article.updatedAt} />
          </p>
        )}
        {article.image && <ArticleImageView image={article.image} />}
      </header>
      <TrustedArticleBody html={props.html} />
      {article.tags.length > 0 && (
        <footer class="article-footer">
          <h2 class="meta">{t("tags")}</h2>
          <TagList tags={article.tags} />
        </footer>
      )}
    </article>
  );
}
