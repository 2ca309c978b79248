import type { FieldProblem } from "../../comments/message";
import type { AdminComment } from "../../comments/moderation-queries";
import { describeProblem } from "../comment-form";
import { EditorBadge } from "../comment-list";
import { DateTime, usePage } from "../page-context";
import { actionsFor, CommentPreview, ParentLink, STATUS_LABELS } from "./comment-row";
import { describeReasons } from "./reasons";

export function CommentDetailView(props: {
  comment: AdminComment;
  csrf: string;
  firstTimeMode: boolean;
  problem?: { field: "edit" | "reply"; problem: FieldProblem; text: string };
}) {
  const { t } = usePage();
  const { comment: c, csrf } = props;
  const returnTo = `/admin/comments/${c.id}`;
  const editText = props.problem?.field === "edit" ? props.problem.text : c.bodyRaw;
  return (
    <>
      <p>
        <a href="/admin">← {t("adminBack")}</a>
      </p>
      <h1>{t("adminDetails")}</h1>
      <dl class="details">
        <dt>{t("adminColAuthor")}</dt>
        <dd>
          {c.author}
          {c.byEditor && (
            <>
              {" "}
              <EditorBadge />
            </>
          )}{" "}
          · <a href={`mailto:${c.email}`}>{c.email}</a>
          {c.url && (
            <>
              {" "}
              ·{" "}
              <a href={c.url} rel="nofollow noopener noreferrer">
                {c.url}
              </a>
            </>
          )}
        </dd>
        <dt>{t("adminColArticle")}</dt>
        <dd>
          <a href={`/articles/${c.articleSlug}`}>{c.articleTitle}</a>
          {c.parentId && (
            <>
              {" "}
              · {t("adminReplyTo")} <ParentLink id={c.parentId} author={c.parentAuthor} />
            </>
          )}
        </dd>
        <dt>{t("adminColStatus")}</dt>
        <dd>
          {t(STATUS_LABELS[c.status] ?? "statusPending")} · <DateTime at={c.createdAt} withTime />
        </dd>
        <dt>{t("adminIpHash")}</dt>
        <dd>
          <code>{c.ipHash ?? "–"}</code> {c.userAgent && <small>{c.userAgent}</small>}
        </dd>
        <dt>{t("adminReasons")}</dt>
        <dd>{describeReasons(t, c.reasons, c.status, props.firstTimeMode).join(" · ") || "–"}</dd>
      </dl>
      <CommentPreview html={c.bodyHtml} />
      <form method="post" action={`/admin/comments/${c.id}/approve?return=${encodeURIComponent(returnTo)}`} class="row-actions">
        <input type="hidden" name="csrf" value={csrf} />
        {actionsFor(c.status).map((a) => (
          <button
            type="submit"
            formaction={`/admin/comments/${c.id}/${a.action}?return=${encodeURIComponent(a.action === "delete" ? "/admin" : returnTo)}`}
            class={a.action === "delete" ? "danger" : undefined}
          >
            {t(a.label)}
          </button>
        ))}
      </form>
      <h2 id="edit-title">{t("adminEdit")}</h2>
      <form method="post" action={`/admin/comments/${c.id}/edit`} class="comment-form" aria-labelledby="edit-title">
        <input type="hidden" name="csrf" value={csrf} />
        <p>
          <label for="edit-comment">{t("fieldComment")}</label>
          <textarea id="edit-comment" name="comment" rows={8} aria-invalid={props.problem?.field === "edit" ? "true" : undefined}>
            {editText}
          </textarea>
          {props.problem?.field === "edit" && <span class="field-error">{describeProblem(t, props.problem.problem)}</span>}
        </p>
        <p class="form-submit">
          <button type="submit">{t("adminSave")}</button>
        </p>
      </form>
      <h2 id="reply-title">{t("adminReply")}</h2>
      <form method="post" action={`/admin/comments/${c.id}/reply`} class="comment-form" aria-labelledby="reply-title">
        <input type="hidden" name="csrf" value={csrf} />
        <p>
          <label for="reply-comment">{t("fieldComment")}</label>
          <textarea id="reply-comment" name="comment" rows={6} aria-invalid={props.problem?.field === "reply" ? "true" : undefined}>
            {props.problem?.field === "reply" ? props.problem.text : ""}
          </textarea>
          {props.problem?.field === "reply" && <span class="field-error">{describeProblem(t, props.problem.problem)}</span>}
        </p>
        <p class="form-submit">
          <button type="submit">{t("adminReplySubmit")}</button>
        </p>
      </form>
    </>
  );
}
