// The article page: the article, its approved comments and the comment form.
// Used by the reader route and by the comment route to show a form's errors.
// With a submitter's own link (unapproved and moderation-hash) it also shows
// their waiting comment, and is then theirs alone: never stored anywhere.
import type { Context } from "hono";
import { toNavigation } from "../articles/navigation";
import { type ArticleDetail, getAliasTarget, getGoneSlug, publishedArticleQuery, toArticleDetail } from "../articles/queries";
import { getArticleHtml } from "../articles/render";
import { navigationQuery } from "../articles/static-page-queries";
import { cacheTags, setPersonalCaching } from "../cache";
import { commentPagePath, countCommentPages, getDefaultCommentPage } from "../comments/comment-pages";
import { reuseFormToken } from "../comments/form-token";
import { checkModerationHash, findOwnCommentPage, loadOwnComment, MODERATION_HASH_PARAM, type OwnCommentView, UNAPPROVED_PARAM } from "../comments/own-comment";
import { canMailCommenters } from "../comments/reader-mail";
import { type CommentPageRequest, commentPageInfoQuery, commentPageQuery } from "../comments/thread-queries";
import { type CommentSettings, getCommentSettings, getReaderSettings } from "../config";
import type { Db } from "../db/client";
import { KIND_ARTICLE } from "../db/schema";
import type { AppEnv } from "../env";
import { ArticleView } from "../views/article";
import { describeArticleHead } from "../views/article-head";
import { CommentAnswerView } from "../views/comment-answer";
import type { CommentFormState } from "../views/comment-form";
import { CommentsSection } from "../views/comments-section";
import { readerDb } from "./db";
import { renderGone, renderNotFound, renderPage, setPublicCaching } from "./respond";

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

/** A query parameter given once, else undefined (twice has two readings: no link of ours has that). */
function onlyQueryValue(c: Context<AppEnv>, name: string): string | undefined {
  const values = c.req.queries(name);
  return values?.length === 1 ? values[0] : undefined;
}

/**
 * The submitter's waiting comment that the page's link asks for, or null (no
 * link, or one that is not genuine, for another id, or expired).
 */
async function readOwnComment(c: Context<AppEnv>, db: Db, settings: CommentSettings | null, slug: string, now: number): Promise<OwnCommentView | null> {
  if (!settings) return null;
  const id = await checkModerationHash(settings.formSecret, onlyQueryValue(c, UNAPPROVED_PARAM), onlyQueryValue(c, MODERATION_HASH_PARAM), now);
  return id ? loadOwnComment(db, id, slug) : null;
}

/** Renders /articles/:slug, or its redirect, 410 (taken offline) or 404. */
export async function renderArticlePage(c: Context<AppEnv>, slug: string, opts: ArticlePageOptions = {}): Promise<Response> {
  const db = readerDb(c);
  const now = Date.now();
  const { commentsPerPage: perPage, commentsDefaultPage: order } = getReaderSettings(c.env);
  const settings = commentSettingsOrNull(c.env);
  // Any request carrying the link's parameters is one person's, genuine or not: the edge keys pages by
  // path and query, so such a URL is never answered from a shared page, and its answer is never stored.
  const linkAsked = c.req.query(UNAPPROVED_PARAM) !== undefined || c.req.query(MODERATION_HASH_PARAM) !== undefined;
  const own = linkAsked ? await readOwnComment(c, db, settings, slug, now) : null;
  const ownPage = own && opts.commentPage === undefined ? await findOwnCommentPage(db, own, perPage, now) : null;
  const request = ownPage ?? requestedCommentPage(perPage, order, opts.commentPage);
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
    const gone = await getGoneSlug(db, slug, KIND_ARTICLE);
    if (gone) return renderGone(c, gone, navigation);
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
  const replyId = c.req.query("replyto");
  const replyTarget = comments.find((comment) => comment.id === replyId);
  // Saved details are filled in by the form's script, so the page stays the same for everyone.
  const form: CommentFormState = opts.form ?? { values: {}, errors: {} };
  // A page made for one reader (their comment, their errors) is never shared.
  const personal = linkAsked || opts.form !== undefined;
  if (personal) setPersonalCaching(c);
  else setPublicCaching(c, describeArticleCacheTags(article));
  // Broken comment settings: the page says comments are unavailable, but a submitted text stays in its form.
  const unavailable = article.comments === "open" && settings === null;
  const open = article.comments === "open" && (settings !== null || opts.form !== undefined);
  const token = article.comments === "open" && settings ? await reuseFormToken(settings.formSecret, opts.submittedToken, article.id, now) : "";
  // "Notify me" only where mail can be sent: the box promises a confirmation mail.
  const formOptions = { token, offerNotify: canMailCommenters(c.env) };
  const meta = {
    lang: article.lang,
    title: article.title,
    description: article.summary || excerpt || undefined,
    ...describeArticleHead(c.get("site"), article, html),
  };
  const replyTo = replyTarget ? { id: replyTarget.id, author: replyTarget.author } : null;
  // A submission that was not taken: the form first, where the page opens.
  if (opts.form && opts.status && opts.status !== 200) {
    return renderPage(
      c,
      { lang: article.lang, title: article.title },
      () => <CommentAnswerView article={article} form={form} formOptions={formOptions} replyTo={replyTo} />,
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
          own={own}
          form={form}
          formOptions={formOptions}
          replyTo={replyTo}
        />
      </>
    ),
    opts.status ?? 200,
  );
}
