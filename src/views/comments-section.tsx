import type { PublicComment } from "../comments/queries";
import { commentCountLabel } from "./article-meta";
import { CommentForm, type CommentFormState } from "./comment-form";
import { CommentList } from "./comment-list";
import { usePage } from "./page-context";

export function CommentsSection(props: {
  slug: string;
  comments: PublicComment[];
  open: boolean;
  /** Comments are open but cannot be taken now (a misconfigured var). */
  unavailable?: boolean;
  pending: boolean;
  form: CommentFormState;
  token: string;
  replyTo: { id: string; author: string } | null;
}) {
  const { t } = usePage();
  return (
    <section id="comments" class="comments" aria-labelledby="comments-title">
      <h2 id="comments-title">
        {t("commentsHeading")} <small>({commentCountLabel(t, props.comments.length)})</small>
      </h2>
      {props.pending && (
        <p id="comment-status" class="notice" role="status">
          {t("commentPending")}
        </p>
      )}
      <CommentList slug={props.slug} open={props.open} comments={props.comments} />
      {props.open ? (
        <CommentForm slug={props.slug} token={props.token} replyTo={props.replyTo} state={props.form} />
      ) : (
        <p class="comments-closed">{t(props.unavailable ? "commentsUnavailable" : "commentsClosed")}</p>
      )}
    </section>
  );
}
