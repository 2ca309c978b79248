// The article page: the article, its approved comments and the comment form.
// Used by the reader route and by the comment route to show a form's errors.
import type { Context } from "hono";
import { type ArticleDetail, getAliasTarget, publishedArticleQuery, toArticleDetail } from "../articles/queries";
import { getArticleHtml } from "../articles/render";
import { cacheTags, setPersonalCaching } from "../cache";
import { reuseFormToken, verifyPendingNotice } from "../comments/form-token";
import { commentPagePath, countCommentPages, getDefaultCommentPage } from "../comments/pages";
import { type CommentPageRequest, commentPageInfoQuery, commentPageQuery } from "../comments/thread-queries";
import { getCommentSettings, getReaderSettings } from "../config";
import type { AppEnv } from "../env";
import { toNavigation } from "../pages/navigation";
import { navigationQuery } from "../pages/queries";
import { ArticleView } from "../views/article";
import { describeArticleHead } from "../views/article-head";
import { CommentAnswerView } from "../views/comment-answer";
import type { CommentFormState } from "../views/comment-form";
import { CommentsSection } from "../views/comments-section";
import { readerDb } from "./db";
import { renderNotFound, renderPage, setPublicCaching } from "./respond";

export interface ArticlePageOptions {
  /** A submitted form to show again, with its errors. */
  form?: CommentFormState;
  /** The token the re-rendered form came with: kept when genuine, so the wait is counted from the first serving. */
  submittedToken?: unknown;
  status?: 200 | 403 | 409 | 413 | 422 | 429 | 503;
  /** A comment page asked for by number (/comment-page-<n>); without it, the default page. */
  commentPage?: number;
}

/** The page to read: the one asked for, else the default one ("last" when that is the newest). */
function requestedCommentPage(perPage: number, order: "newest" | "oldest", asked: number | undefined): CommentPageRequest {
  if (asked !== undefined) return asked;
  return perPage > 0 && order === "newest" ? "last" : 1;
}

/** What an article page shows: the article, its comments, and its translations (hreflang). */
function describeArticleCacheTags(article: ArticleDetail): string[] {
  return [
    cacheTags.article(article.slug),
    cacheTags.articleComments(article.id),
    cacheTags.nav,
    ...article.translations.map((t) => cacheTags.article(t.slug)),
    ...(article.translationKey ? [cacheTags.translations(article.translationKey)] : []),
  ];
}

/** The comment settings, or null when a var is misconfigured (logged, naming the var). */
export function commentSettingsOrNull(env: Env) {
  try {
    return getCommentSettings(env);
  } catch (err) {
    // A misconfigured comment pipeline must not take the articles down with it.
    console.error("comments disabled:", err);
    return null;
  }
}

/** Renders /articles/:slug, or its redirect or 404. */
export async function renderArticlePage(c: Context<AppEnv>, slug: string, opts: ArticlePageOptions = {}): Promise<Response> {
  const db = readerDb(c);
  const now = Date.now();
  const { commentsPerPage: perPage, commentsDefaultPage: order } = getReaderSettings(c.env);
  const request = requestedCommentPage(perPage, order, opts.commentPage);
  const [articleRows, [info], comments, navigationRows] = await db.batch([
    publishedArticleQuery(db, slug, now),
    commentPageInfoQuery(db, slug, perPage, request),
    commentPageQuery(db, slug, perPage, request),
    navigationQuery(db, now),
  ]);
  const article = toArticleDetail(articleRows);
  const navigation = toNavigation(navigationRows);
  if (!article) {
    const target = await getAliasTarget(db, slug, now);
    if (target) return c.redirect(`/articles/${target}${opts.commentPage ? `/comment-page-${opts.commentPage}` : ""}`, 301);
    return renderNotFound(c, [cacheTags.article(slug)], navigation);
  }
  const pages = countCommentPages(info?.threads ?? 0, perPage);
  const defaultPage = getDefaultCommentPage(pages, order);
  const page = info?.page ?? 1;
  // Past the last page: a page that a newly approved comment may fill, so purged with the comments.
  if (page > pages) return renderNotFound(c, describeArticleCacheTags(article), navigation);
  // The default page has one URL only: the article's.
  if (opts.commentPage === page && page === defaultPage) {
    setPublicCaching(c, describeArticleCacheTags(article));
    return c.redirect(`/articles/${article.slug}`, 301);
  }
  const pathOf = (n: number) => commentPagePath(article.slug, n, defaultPage);
  const pager = { page, pages, prev: page > 1 ? pathOf(page - 1) : null, next: page < pages ? pathOf(page + 1) : null, path: pathOf(page) };
  const { html, excerpt } = await getArticleHtml(db, article);
  const settings = commentSettingsOrNull(c.env);
  const pendingId = settings ? await verifyPendingNotice(settings.formSecret, c.req.query("pending")) : null;
  const replyId = c.req.query("replyto");
  const replyTarget = comments.find((comment) => comment.id === replyId);
  // Saved details are filled in by the form's script, so the page stays the same for everyone.
  const form: CommentFormState = opts.form ?? { values: {}, errors: {} };
  // A page made for one reader (their notice, their errors) is never shared.
  const personal = pendingId !== null || opts.form !== undefined;
  if (personal) setPersonalCaching(c);
  else setPublicCaching(c, describeArticleCacheTags(article));
  // Broken comment settings: the page says comments are unavailable, but a submitted text stays in its form.
  const unavailable = article.comments === "open" && settings === null;
  const open = article.comments === "open" && (settings !== null || opts.form !== undefined);
  const token = article.comments === "open" && settings ? await reuseFormToken(settings.formSecret, opts.submittedToken, article.id, now) : "";
  const meta = {
    lang: article.lang,
    title: article.title,
    description: article.summary || excerpt || undefined,
    ...describeArticleHead(c.get("site").url, article, html),
  };
  const replyTo = replyTarget ? { id: replyTarget.id, author: replyTarget.author } : null;
  // A submission that was not taken: the form first, where the page opens.
  if (opts.form && opts.status && opts.status !== 200) {
    return renderPage(
      c,
      { lang: article.lang, title: article.title },
      () => <CommentAnswerView article={article} form={form} token={token} replyTo={replyTo} />,
      opts.status,
    );
  }
  return renderPage(
    c,
    { ...meta, canonicalPath: `/articles/${article.slug}`, navigation, pager: { prev: pager.prev, next: pager.next } },
    () => (
      <>
        <ArticleView article={article} html={html} />
        <CommentsSection
          slug={article.slug}
          comments={comments}
          total={article.commentCount}
          pager={pager}
          open={open}
          unavailable={unavailable}
          pending={pendingId !== null}
          form={form}
          token={token}
          replyTo={replyTo}
        />
      </>
    ),
    opts.status ?? 200,
  );
}
