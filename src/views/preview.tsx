import type { Preview } from "../previews/queries";
import { TrustedArticleBody } from "./article";
import { DateTime, usePage } from "./page-context";

/** A shared draft: the article's title and body under a notice that it is not published. */
export function PreviewView(props: { preview: Preview }) {
  const { t } = usePage();
  const { preview } = props;
  const [before, after] = t("previewNotice").split("{until}");
  return (
    <article class="article">
      <p class="notice" role="note">
        {before}
        <DateTime at={preview.expiresAt} />
        {after}
      </p>
      <header class="article-header">
        <h1>{preview.title}</h1>
      </header>
      <TrustedArticleBody html={preview.bodyHtml} />
    </article>
  );
}
