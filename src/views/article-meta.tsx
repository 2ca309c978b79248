import type { ArticleImage, TagRef } from "../articles/queries";
import type { Translate } from "../i18n";
import { DateTime, usePage } from "./page-context";

export function PublishedLine(props: { publishedAt: number; author: string | null }) {
  const { t } = usePage();
  const { publishedAt, author } = props;
  return (
    <p class="meta">
      {t("publishedOn")} <DateTime at={publishedAt} />
      {author && ` ${t("by")} ${author}`}
    </p>
  );
}

/**
 * An article's own image; `lazy` in lists, where most are below the fold.
 * Only a file of this site is shown: a page loads nothing from another host
 * before the reader acts, so an https image elsewhere serves og:image alone.
 */
export function ArticleImageView(props: { image: ArticleImage; lazy?: boolean }) {
  const { image } = props;
  if (!image.url.startsWith("/")) return null;
  return (
    <img
      class="article-image"
      src={image.url}
      alt={image.alt ?? ""}
      width={image.width ?? undefined}
      height={image.height ?? undefined}
      loading={props.lazy ? "lazy" : undefined}
      decoding="async"
    />
  );
}

export function TagList(props: { tags: TagRef[] }) {
  if (props.tags.length === 0) return null;
  return (
    <ul class="tag-list">
      {props.tags.map((tag) => (
        <li>
          <a href={`/tags/${encodeURIComponent(tag.slug)}`} rel="tag">
            {tag.name}
          </a>
        </li>
      ))}
    </ul>
  );
}

export function commentCountLabel(t: Translate, n: number): string {
  if (n === 0) return t("commentsCount0");
  if (n === 1) return t("commentsCount1");
  return t("commentsCountN", { n });
}
