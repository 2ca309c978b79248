import type { OwnCommentView } from "../comments/own-comment";
import type { PublicComment } from "../comments/queries";
import { commentCountLabel } from "./article-meta";
import { CommentForm, type CommentFormOptions, type CommentFormState } from "./comment-form";
import { CommentList } from "./comment-list";
import { usePage } from "./page-context";

export interface CommentPager {
  page: number;
  pages: number;
  /** Paths of the neighbouring pages, null at either end. */
  prev: string | null;
  next: string | null;
  /** This page's own path (reply links come back to it). */
  path: string;
}

const byTime = (a: PublicComment, b: PublicComment) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Older and newer comment pages, as WordPress's comment navigation. */
function CommentPageNav(props: { pager: CommentPager }) {
  const { t } = usePage();
  const { pager } = props;
  if (pager.pages < 2) return null;
  return (
    <nav class="comment-pager" aria-label={t("commentPages")}>
      {pager.prev && (
        <a rel="prev" href={`${pager.prev}#comments`}>
          {t("olderComments")}
        </a>
      )}{" "}
      <span>{t("pageOf", { page: pager.page, pages: pager.pages })}</span>{" "}
      {pager.next && (
        <a rel="next" href={`${pager.next}#comments`}>
          {t("newerComments")}
        </a>
      )}
    </nav>
  );
}

export function CommentsSection(props: {
  slug: string;
  /** The approved comments on this comment page. */
  comments: PublicComment[];
  /** Every approved comment of the article. */
  total: number;
  pager: CommentPager;
  open: boolean;
  /** Comments are open but cannot be taken now (a misconfigured var). */
  unavailable?: boolean;
  /** The submitter's own waiting comment (their link's), or the note that it is still being processed. */
  own: OwnCommentView | null;
  form: CommentFormState;
  formOptions: CommentFormOptions;
  replyTo: { id: string; author: string } | null;
}) {
  const { t } = usePage();
  const { own } = props;
  // In its place among the page's comments, oldest first as the page reads them.
  const comments = own?.comment ? [...props.comments, own.comment].sort(byTime) : props.comments;
  return (
    <section id="comments" class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {t("commentsHeading")} <small>({commentCountLabel(t, props.total)})</small>
      </h2>
      {own && !own.comment && (
        <p id={`comment-${own.id}`} class="notice" role="status">
          {t("commentProcessing")}
        </p>
      )}
      <CommentList pagePath={props.pager.path} open={props.open} comments={comments} awaitingId={own?.comment?.id ?? null} />
      <CommentPageNav pager={props.pager} />
      {props.open ? (
        <CommentForm slug={props.slug} options={props.formOptions} replyTo={props.replyTo} state={props.form} />
      ) : (
        <p class="comments-closed">{t(props.unavailable ? "commentsUnavailable" : "commentsClosed")}</p>
      )}
    </section>
  );
}
