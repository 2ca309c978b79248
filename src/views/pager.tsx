// The "newer / page N of M / older" links under a paged list (articles, search hits).
import type { MessageKey } from "../i18n/messages";
import { usePage } from "./page-context";

export function Pager(props: { page: number; pages: number; href: (page: number) => string; prevLabel: MessageKey; nextLabel: MessageKey }) {
  const { t } = usePage();
  const { page, pages, href } = props;
  if (pages < 2) return null;
  return (
    <nav class="pagination" aria-label={t("pagination")}>
      {page > 1 ? (
        <a href={href(page - 1)} rel="prev">
          ← {t(props.prevLabel)}
        </a>
      ) : (
        <span />
      )}
      <span class="current" aria-current="page">
        {t("pageOf", { page, pages })}
      </span>
      {page < pages ? (
        <a href={href(page + 1)} rel="next">
          {t(props.nextLabel)} →
        </a>
      ) : (
        <span />
      )}
    </nav>
  );
}
