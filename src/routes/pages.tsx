// Reader pages: the article list, single articles, tag pages.
import { type Context, Hono } from "hono";
import { listPublishedArticles } from "../articles/queries";
import { cacheTags } from "../cache";
import type { AppEnv } from "../env";
import { getTranslator } from "../i18n";
import { SLUG_PATTERN } from "../lib/slug";
import { ArticleList, PAGE_SIZE } from "../views/article-list";
import { renderArticlePage } from "./article-page";
import { readerDb } from "./db";
import { rejectOtherMethods, renderErrorPage, renderNotFound, renderPage, setPublicCaching } from "./respond";

const pages = new Hono<AppEnv>();

/** `?page=` as a number from 1, null when malformed. */
function parsePageParam(value: string | undefined): number | null {
  if (value === undefined) return 1;
  return /^[1-9]\d{0,5}$/.test(value) ? Number(value) : null;
}

async function listPage(c: Context<AppEnv>, tagSlug?: string) {
  const site = c.get("site");
  const page = parsePageParam(c.req.query("page"));
  if (page === null) return renderErrorPage(c, 400, "badRequestTitle", "invalidPage");
  const { items, total, nextScheduledAt } = await listPublishedArticles(readerDb(c), {
    now: Date.now(),
    limit: PAGE_SIZE,
    offset: (page - 1) * PAGE_SIZE,
    tagSlug,
  });
  const listTags = [tagSlug ? cacheTags.tag(tagSlug) : cacheTags.lists];
  if (items.length === 0 && (page > 1 || tagSlug)) return renderNotFound(c, listTags);
  const basePath = tagSlug ? `/tags/${tagSlug}` : "/";
  const tagName = tagSlug ? (items[0]?.tags.find((tag) => tag.slug === tagSlug)?.name ?? tagSlug) : undefined;
  const shown = items.flatMap((item) => [cacheTags.article(item.slug), cacheTags.articleComments(item.id)]);
  // An empty list cannot tell when the first scheduled article comes: look again in a minute.
  setPublicCaching(c, [...listTags, ...shown], items.length > 0 ? nextScheduledAt : Date.now() + 60_000);
  const lang = site.defaultLang;
  return renderPage(
    c,
    {
      lang,
      title: tagName,
      canonicalPath: page === 1 ? basePath : `${basePath}?page=${page}`,
      feeds: tagName ? [{ title: `${site.title} – ${getTranslator(lang)("feedTag", { tag: tagName })}`, basePath }] : [],
    },
    (t) => (
      <ArticleList
        view={{
          heading: tagName ? `${t("taggedWith")} „${tagName}“` : t("latestArticles"),
          items,
          page,
          pages: Math.max(1, Math.ceil(total / PAGE_SIZE)),
          basePath,
        }}
      />
    ),
  );
}

pages.get("/", (c) => listPage(c));

pages.get("/tags/:tag", (c) => {
  const tag = c.req.param("tag");
  if (!SLUG_PATTERN.test(tag)) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  return listPage(c, tag);
});

pages.get("/articles/:slug", (c) => {
  const slug = c.req.param("slug");
  if (!SLUG_PATTERN.test(slug)) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  return renderArticlePage(c, slug);
});

rejectOtherMethods(pages, ["/", "/tags/:tag", "/articles/:slug"]);

export default pages;
