import type { ArticleSummary } from "../articles/queries";
import { ArticleImageView, commentCountLabel, PublishedLine, TagList } from "./article-meta";
import { usePage } from "./page-context";
import { Pager } from "./pager";

/** Articles on one page of the home and tag lists. */
export const PAGE_SIZE = 10;
/** Lists go this many pages deep at most: each page skips its predecessors on an index, so the cost stays bounded. */
export const MAX_LIST_PAGE = 1000;

export interface ListView {
  heading: string;
  items: ArticleSummary[];
  page: number;
  pages: number;
  /** Path of page 1; further pages add ?page=N. */
  basePath: string;
  /** The home marks its pinned articles (a tag list orders by date alone). */
  showPinned?: boolean;
}

function pageHref(basePath: string, page: number): string {
  return page === 1 ? basePath : `${basePath}?page=${page}`;
}

export function ArticleList(props: { view: ListView }) {
  const { t, lang } = usePage();
  const { view } = props;
  return (
    <>
      <h1>{view.heading}</h1>
      {view.items.length === 0 ? (
        <p>{t("noArticles")}</p>
      ) : (
        <ol class="article-list">
          {view.items.map((item) => (
            <li lang={item.lang === lang ? undefined : item.lang} class={item.pinned ? "pinned" : undefined}>
              <article>
                {item.pinned && view.showPinned && <p class="meta pinned-label">{t("pinnedArticle")}</p>}
                {item.image && <ArticleImageView image={item.image} lazy />}
                <h2>
                  <a href={`/articles/${item.slug}`}>{item.title}</a>
                </h2>
                <PublishedLine publishedAt={item.publishedAt} author={item.author} />
                {(item.summary || item.excerpt) && <p>{item.summary || item.excerpt}</p>}
                <p class="meta">
                  <a href={`/articles/${item.slug}`} aria-label={t("readMoreAbout", { title: item.title })}>
                    {t("readMore")}
                  </a>{" "}
                  · <a href={`/articles/${item.slug}#comments`}>{commentCountLabel(t, item.commentCount)}</a>
                </p>
                <TagList tags={item.tags} />
              </article>
            </li>
          ))}
        </ol>
      )}
      <Pager page={view.page} pages={view.pages} href={(n) => pageHref(view.basePath, n)} prevLabel="newerArticles" nextLabel="olderArticles" />
    </>
  );
}
