import type { TagRef } from "../articles/queries";
import type { Language } from "../db/schema";
import { formatDate, isoDate, type Translate } from "../i18n";

export function PublishedLine(props: { t: Translate; lang: Language; timeZone: string; publishedAt: number; author: string | null; children?: unknown }) {
  const { t, lang, timeZone, publishedAt, author } = props;
  return (
    <p class="meta">
      {t("publishedOn")} <time datetime={isoDate(publishedAt)}>{formatDate(publishedAt, lang, timeZone)}</time>
      {author && ` ${t("by")} ${author}`}
    </p>
  );
}

export function TagList(props: { t: Translate; tags: TagRef[] }) {
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
