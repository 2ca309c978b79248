// The reader's routes over articles: the article list (home), tag lists,
// single articles with their comment pages, and comment permalinks.
import type { Context } from "hono";
import * as v from "valibot";
import { toNavigation } from "../articles/navigation";
import { publishedArticlesQuery, toArticleListPage } from "../articles/queries";
import { navigationQuery } from "../articles/static-page-queries";
import { cacheTags } from "../cache";
import { commentPermalinkPath } from "../comments/comment-pages";
import { getCommentPlace } from "../comments/thread-queries";
import { getReaderSettings } from "../config";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { validQuery } from "../lib/request-query";
import { SLUG_PATTERN } from "../lib/slug";
import { ArticleList, MAX_LIST_PAGE, PAGE_SIZE } from "../views/article-list";
import { renderArticlePage } from "./article-page";
import { readerDb } from "./db";
import { getPageTranslator, renderErrorPage, renderNotFound, renderPage, setPublicCaching } from "./respond";

const articles = new Hono<AppEnv>();

/** `?page=`: a whole number from 1, given once; anything else is a 400 page saying so. */
export const pageNumberQuery = validQuery(
  v.object({ page: v.optional(v.pipe(v.string(), v.regex(/^[1-9]\d{0,5}$/), v.transform(Number)), "1") }),
  (c, [problem]) =>
    renderErrorPage(c as Context<AppEnv>, 400, "badRequestTitle", problem.repeated ? (t) => t("paramRepeated", { name: problem.field }) : "invalidPage"),
);

async function renderArticleList(c: Context<AppEnv>, page: number, tagSlug?: string) {
  const site = c.get("site");
  // Past the deepest page a list shows: nothing to read, whatever the total.
  if (page > MAX_LIST_PAGE) return renderNotFound(c);
  const db = readerDb(c);
  const now = Date.now();
  const [rows, navigationRows] = await db.batch([
    publishedArticlesQuery(db, { now, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE, defaultLang: site.defaultLang, tagSlug }),
    navigationQuery(db, now),
  ]);
  const { items, total, nextScheduledAt } = toArticleListPage(rows);
  const navigation = toNavigation(navigationRows);
  const listTags = [tagSlug ? cacheTags.tag(tagSlug) : cacheTags.lists];
  if (items.length === 0 && (page > 1 || tagSlug)) return renderNotFound(c, listTags, navigation);
  const basePath = tagSlug ? `/tags/${tagSlug}` : "/";
  const tagName = tagSlug ? (items[0]?.tags.find((tag) => tag.slug === tagSlug)?.name ?? tagSlug) : undefined;
  const shown = items.flatMap((item) => [cacheTags.article(item.slug), cacheTags.articleComments(item.id)]);
  // An empty list cannot tell when the first scheduled article comes: look again in a minute.
  setPublicCaching(c, [...listTags, cacheTags.nav, ...shown], items.length > 0 ? nextScheduledAt : now + 60_000);
  const lang = site.defaultLang;
  const pageCount = Math.max(1, Math.ceil(total / PAGE_SIZE));
  // Each page of a list is its own document for search engines and tabs: its number is in the title.
  const pageTitle = page > 1 ? getPageTranslator(c, lang)("pageOf", { page, pages: pageCount }) : undefined;
  return renderPage(
    c,
    {
      lang,
      title: [tagName, pageTitle].filter(Boolean).join(" – ") || undefined,
      canonicalPath: page === 1 ? basePath : `${basePath}?page=${page}`,
      feeds: tagName ? [{ title: `${site.title} – ${getPageTranslator(c, lang)("feedTag", { tag: tagName })}`, basePath }] : [],
      navigation,
    },
    (t) => (
      <ArticleList
        view={{
          heading: tagName ? `${t("taggedWith")} „${tagName}“` : t("latestArticles"),
          items,
          page,
          pages: pageCount,
          basePath,
          showPinned: !tagSlug,
        }}
      />
    ),
  );
}

articles.get("/", pageNumberQuery, (c) => renderArticleList(c, c.req.valid("query").page));

articles.get("/tags/:tag", pageNumberQuery, async (c) => {
  const tag = c.req.param("tag");
  // Tags are lower-case slugs; a link typed as the tag's name ("/tags/KMU") moves to the slug.
  const lower = tag.toLowerCase();
  if (lower !== tag && SLUG_PATTERN.test(lower)) return c.redirect(`/tags/${lower}${new URL(c.req.url).search}`, 301);
  if (!SLUG_PATTERN.test(tag)) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  return renderArticleList(c, c.req.valid("query").page, tag);
});

articles.get("/articles/:slug", (c) => {
  const slug = c.req.param("slug");
  if (!SLUG_PATTERN.test(slug)) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  return renderArticlePage(c, slug);
});

// WordPress's comment pages; the slash form WordPress links to (/comment-page-2/) gets its 301 from trimTrailingSlash.
articles.get("/articles/:slug/:commentPage{comment-page-[1-9][0-9]{0,5}}", (c) => {
  const slug = c.req.param("slug");
  if (!SLUG_PATTERN.test(slug)) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  return renderArticlePage(c, slug, { commentPage: Number(c.req.param("commentPage").slice("comment-page-".length)) });
});

// A comment's permalink (feeds link it): a redirect to the comment page holding it, which moves as threads are added.
articles.get("/comments/:id{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}}", async (c) => {
  const id = c.req.param("id");
  const place = await getCommentPlace(readerDb(c), id, Date.now());
  if (!place) return renderNotFound(c);
  setPublicCaching(c, [cacheTags.articleComments(place.articleId), cacheTags.article(place.slug)]);
  return c.redirect(commentPermalinkPath(id, place, getReaderSettings(c.env)), 301);
});

export default articles;
