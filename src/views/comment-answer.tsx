// The answer to a comment that could not be taken (invalid fields, too fast,
// a duplicate, comments unavailable): the form alone, at the top of the page,
// with the submitted text kept and the error summary focused. A POST answer
// cannot carry a #fragment, and browsers do not scroll an autofocused element
// into view reliably, so the form is where the page opens, JavaScript or not.
import { CommentForm, type CommentFormOptions, type CommentFormState } from "./comment-form";
import { usePage } from "./page-context";

export function CommentAnswerView(props: {
  /** The title is null when the article could not be read (D1 failing): the form still keeps the text. */
  article: { slug: string; title: string | null };
  form: CommentFormState;
  formOptions: CommentFormOptions;
  replyTo: { id: string; author: string } | null;
}) {
  const { t } = usePage();
  const { article } = props;
  return (
    <section class="comments comment-answer" aria-labelledby="comment-answer-title">
      <h1 id="comment-answer-title">{article.title === null ? t("commentAnswerTitleUntitled") : t("commentAnswerTitle", { title: article.title })}</h1>
      <CommentForm slug={article.slug} options={props.formOptions} replyTo={props.replyTo} state={props.form} />
      <p>
        <a href={`/articles/${article.slug}#comments`}>{t("backToArticle")}</a>
      </p>
    </section>
  );
}
