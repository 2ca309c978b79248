import { raw } from "hono/html";
import { type EmbedWords, hasEmbeds, localizeEmbeds } from "../articles/embeds";
import type { ArticleDetail } from "../articles/queries";
import { getAssetPath } from "../assets";
import { ArticleImageView, PublishedLine, TagList } from "./article-meta";
import { DateTime, usePage } from "./page-context";
import { TranslationLinks } from "./translation-links";

/**
 * The one place where an article's rendered Markdown enters a page unescaped:
 * it comes from the editors' repository through the publish command, not from readers.
 * Static pages (src/views/static-page.tsx) come the same way and use it too.
 */
export function TrustedArticleBody(props: { html: string }) {
  const { t } = usePage();
  if (!hasEmbeds(props.html)) return <div class="article-body">{raw(props.html)}</div>;
  // Embeds get their words in the reader's language, and the script that loads a player on click.
  const words: EmbedWords = {
    play: (provider, kind) => t(kind === "audio" ? "embedPlayAudio" : "embedPlayVideo", { provider }),
    notice: (provider) => t("embedNotice", { provider }),
  };
  return (
    <div class="article-body">
      {raw(localizeEmbeds(props.html, words))}
      <script src={getAssetPath("embeds")} defer></script>
    </div>
  );
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
