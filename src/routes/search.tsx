// Site search: /search?q=…&page=N (results, cacheable per query) and /opensearch.xml.
import type { Context } from "hono";
import * as v from "valibot";
import { cacheTags, setRevalidatedCaching } from "../cache";
import { KIND_PAGE } from "../db/schema";
import type { AppEnv } from "../env";
import { renderOpenSearch } from "../feeds/opensearch";
import { UnavailableError } from "../lib/errors";
import { Hono } from "../lib/hono";
import { type QueryProblem, validQuery } from "../lib/request-query";
import { type CommentHit, MAX_RANKED_HITS, type SearchPage, searchPublished } from "../search/queries";
import { MAX_QUERY_LENGTH, parseSearchQuery, type SearchQuery } from "../search/query";
import { makeSnippet } from "../search/snippet";
import { SearchResults, type SearchView } from "../views/search-results";
import { readerDb } from "./db";
import { getPageTranslator, renderErrorPage, renderNotFound, renderPage, sendWithEtag, setPublicCaching } from "./respond";

/** Hits on one page of results. */
export const SEARCH_PAGE_SIZE = 10;
/** Deeper pages are refused (400): only MAX_RANKED_HITS matches are ranked, so no page lies beyond. */
export const MAX_SEARCH_PAGE = MAX_RANKED_HITS / SEARCH_PAGE_SIZE;

const search = new Hono<AppEnv>();

const searchQuery = validQuery(
  v.object({
    q: v.optional(v.pipe(v.string(), v.maxLength(MAX_QUERY_LENGTH)), ""),
    page: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/), v.transform(Number), v.maxValue(MAX_SEARCH_PAGE)), "1"),
  }),
  (c, [problem]) => renderBadSearch(c as Context<AppEnv>, problem),
);

function renderBadSearch(c: Context<AppEnv>, problem: Pick<QueryProblem, "field" | "repeated">) {
  if (problem.repeated) return renderErrorPage(c, 400, "badRequestTitle", (t) => t("paramRepeated", { name: problem.field }));
  if (problem.field === "q") return renderErrorPage(c, 400, "badRequestTitle", (t) => t("searchTooLong", { max: MAX_QUERY_LENGTH }));
  return renderErrorPage(c, 400, "badRequestTitle", (t) => `${t("invalidPage")} ${t("searchPageTooFar", { max: MAX_SEARCH_PAGE })}`);
}

/** A page of hits (and on the first, the matching comments), or null while the index is being rebuilt (npm run backup). */
async function searchOrNull(c: Context<AppEnv>, query: SearchQuery, page: number, now: number): Promise<(SearchPage & { comments: CommentHit[] }) | null> {
  try {
    return await searchPublished(readerDb(c), query, { now, limit: SEARCH_PAGE_SIZE, offset: (page - 1) * SEARCH_PAGE_SIZE, comments: page === 1 });
  } catch (err) {
    if (err instanceof UnavailableError) return null;
    throw err;
  }
}

search.get("/search", searchQuery, async (c) => {
  const { q, page } = c.req.valid("query");
  const site = c.get("site");
  const parsed = parseSearchQuery(q);
  if (!parsed.ok && parsed.problem === "too_long") return renderBadSearch(c, { field: "q", repeated: false });
  const now = Date.now();
  const found = parsed.ok ? await searchOrNull(c, parsed.query, page, now) : { hits: [], total: 0, more: false, nextScheduledAt: null, comments: [] };
  if (!found) {
    c.header("Retry-After", "60");
    return renderErrorPage(c, 503, "errorTitle", "searchUnavailable");
  }
  if (found.hits.length === 0 && page > 1) return renderNotFound(c, [cacheTags.search]);
  const view: SearchView = {
    query: parsed.ok ? parsed.query.text : "",
    total: found.total,
    more: found.more,
    page,
    pages: Math.min(MAX_SEARCH_PAGE, Math.ceil(found.total / SEARCH_PAGE_SIZE)),
    items: found.hits.map((hit) => ({
      title: hit.title,
      path: hit.kind === KIND_PAGE ? `/${hit.slug}` : `/articles/${hit.slug}`,
      lang: hit.lang,
      publishedAt: hit.publishedAt,
      snippet: makeSnippet(hit.body, parsed.ok ? parsed.query.terms : []),
    })),
    comments: found.comments.map((hit) => ({
      path: `/comments/${hit.id}`,
      author: hit.author,
      articleTitle: hit.articleTitle,
      createdAt: hit.createdAt,
      snippet: makeSnippet(hit.body, parsed.ok ? parsed.query.terms : []),
    })),
  };
  // Without hits nothing tells when a scheduled article appears: look again in a minute.
  const changesAt = found.hits.length > 0 ? found.nextScheduledAt : parsed.ok ? now + 60_000 : null;
  // The first page shows comments too: any approval or removal purges "comments".
  const commentTags = page === 1 && parsed.ok ? [cacheTags.comments] : [];
  setPublicCaching(c, [cacheTags.search, ...commentTags, ...found.hits.map((hit) => cacheTags.article(hit.slug))], changesAt);
  const lang = site.defaultLang;
  return renderPage(
    c,
    { lang, title: view.query ? `${view.query} – ${getPageTranslator(c, lang)("searchTitle")}` : getPageTranslator(c, lang)("searchTitle"), noindex: true },
    () => <SearchResults view={view} />,
  );
});

search.get("/opensearch.xml", (c) => {
  const site = c.get("site");
  setRevalidatedCaching(c);
  return sendWithEtag(c, renderOpenSearch(site, site.defaultLang), "application/opensearchdescription+xml; charset=utf-8");
});

export default search;
