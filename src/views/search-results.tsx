// The search page: the form with the reader's query, then the hits (title,
// date, a snippet with the matches marked) or a friendly "nothing found".
// Everything the reader typed and every snippet is JSX text, so it is escaped.
import type { SnippetPart } from "../search/snippet";
import { DateTime, usePage } from "./page-context";
import { Pager } from "./pager";

interface SearchResultItem {
  title: string;
  /** The hit's path: /articles/<slug> or /<slug> for a page. */
  path: string;
  lang: string;
  publishedAt: number;
  snippet: SnippetPart[];
}

interface CommentResultItem {
  /** The comment's permalink, /comments/<id>: it leads to its place on the article's comment page. */
  path: string;
  author: string;
  articleTitle: string;
  createdAt: number;
  snippet: SnippetPart[];
}

export interface SearchView {
  /** What the reader typed, shown again in the field; "" for the bare form. */
  query: string;
  items: SearchResultItem[];
  /** Approved comments that match (first page only). */
  comments: CommentResultItem[];
  total: number;
  /** More matches than are ranked: `total` is that bound, and the text says "more than". */
  more: boolean;
  page: number;
  pages: number;
}

function searchHref(query: string, page: number): string {
  const params = new URLSearchParams({ q: query });
  if (page > 1) params.set("page", String(page));
  return `/search?${params}`;
}

function SearchForm(props: { query: string }) {
  const { t } = usePage();
  return (
    <search class="search-form">
      <form action="/search" method="get">
        <label class="search-label" for="search-q">
          {t("searchField")}
        </label>
        <input type="search" id="search-q" name="q" value={props.query} maxlength={200} />
        <button type="submit">{t("searchButton")}</button>
      </form>
    </search>
  );
}

function Snippet(props: { parts: SnippetPart[] }) {
  return <p class="snippet">{props.parts.map((part) => (part.match ? <mark>{part.text}</mark> : part.text))}</p>;
}

function Pagination(props: { view: SearchView }) {
  const { view } = props;
  return <Pager page={view.page} pages={view.pages} href={(n) => searchHref(view.query, n)} prevLabel="earlierResults" nextLabel="laterResults" />;
}

export function SearchResults(props: { view: SearchView }) {
  const { t, lang } = usePage();
  const { view } = props;
  if (view.query === "") {
    return (
      <>
        <h1>{t("searchTitle")}</h1>
        <SearchForm query="" />
        <p class="meta">{t("searchHint")}</p>
      </>
    );
  }
  return (
    <>
      <h1>{t("searchResultsFor", { query: view.query })}</h1>
      <SearchForm query={view.query} />
      {view.items.length === 0 && view.comments.length === 0 ? (
        <p class="search-nothing">{t("searchNothingFound", { query: view.query })}</p>
      ) : view.items.length === 0 ? null : (
        <>
          <p class="meta">
            {view.more ? t("searchCountMore", { n: view.total }) : view.total === 1 ? t("searchCount1") : t("searchCountN", { n: view.total })}
          </p>
          <ol class="search-results">
            {view.items.map((item) => (
              <li lang={item.lang === lang ? undefined : item.lang}>
                <h2>
                  <a href={item.path}>{item.title}</a>
                </h2>
                <p class="meta">
                  <DateTime at={item.publishedAt} />
                </p>
                <Snippet parts={item.snippet} />
              </li>
            ))}
          </ol>
        </>
      )}
      {view.comments.length > 0 ? (
        <section class="search-comments" aria-labelledby="search-comments-title">
          <h2 id="search-comments-title">{t("searchCommentsTitle")}</h2>
          <ol class="search-results">
            {view.comments.map((item) => (
              <li>
                <h3>
                  <a href={item.path}>{t("searchCommentOn", { author: item.author, title: item.articleTitle })}</a>
                </h3>
                <p class="meta">
                  <DateTime at={item.createdAt} />
                </p>
                <Snippet parts={item.snippet} />
              </li>
            ))}
          </ol>
        </section>
      ) : null}
      <Pagination view={view} />
    </>
  );
}
