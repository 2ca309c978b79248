// The search field in every page's header and the OpenSearch link in its head:
// a plain GET form to /search, so it works without JavaScript.
import { usePage } from "./page-context";

/** The header's search form; its label is for screen readers, the button says what it does. */
export function HeaderSearchForm() {
  const { t } = usePage();
  return (
    <search class="site-search">
      <form action="/search" method="get">
        <label class="visually-hidden" for="site-search-q">
          {t("searchField")}
        </label>
        <input type="search" id="site-search-q" name="q" maxlength={200} autocomplete="off" />
        <button type="submit">{t("searchButton")}</button>
      </form>
    </search>
  );
}

/** Browsers offer the site's search in their address bar from this link (/opensearch.xml). */
export function OpenSearchLink() {
  const { site } = usePage();
  return <link rel="search" type="application/opensearchdescription+xml" title={site.title} href="/opensearch.xml" />;
}
