import type { PublicComment } from "../comments/queries";
import type { Language } from "../db/schema";
import type { Translate } from "../i18n";
import { commentCountLabel } from "./article-meta";
import { CommentForm, type CommentFormState } from "./comment-form";
import { CommentList } from "./comment-list";

export function CommentsSection(props: {
  t: Translate;
  lang: Language;
  timeZone: string;
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
  const { t } = props;
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
      <CommentList t={t} lang={props.lang} timeZone={props.timeZone} slug={props.slug} open={props.open} comments={props.comments} />
      {props.open ? (
        <CommentForm t={t} slug={props.slug} token={props.token} replyTo={props.replyTo} state={props.form} />
      ) : (
        <p class="comments-closed">{t(props.unavailable ? "commentsUnavailable" : "commentsClosed")}</p>
      )}
    </section>
  );
}
