import { raw } from "hono/html";
import type { AdminComment } from "../../comments/moderation-queries";
import type { MessageKey } from "../../i18n/messages";
import { EditorBadge } from "../comment-list";
import { DateTime, usePage } from "../page-context";
import { describeReasons } from "./reasons";

export const STATUS_LABELS: Record<string, MessageKey> = {
  pending: "statusPending",
  approved: "statusApproved",
  spam: "statusSpam",
  trash: "statusTrash",
};

/** The actions that make sense for a comment in a status. */
export function actionsFor(status: string): { action: string; label: MessageKey }[] {
  switch (status) {
    case "pending":
      return [
        { action: "approve", label: "actionApprove" },
        { action: "spam", label: "actionSpam" },
        { action: "trash", label: "actionTrash" },
      ];
    case "approved":
      return [
        { action: "unapprove", label: "actionUnapprove" },
        { action: "spam", label: "actionSpam" },
        { action: "trash", label: "actionTrash" },
      ];
    default:
      return [
        { action: "restore", label: "actionRestore" },
        { action: "delete", label: "actionDelete" },
      ];
  }
}

/**
 * The moderator's preview of a comment: the same sanitized HTML readers would
 * get, the one place the admin injects a comment's HTML.
 */
export function CommentPreview(props: { html: string }) {
  return <div class="comment-body">{raw(props.html)}</div>;
}

/** The comment a reply answers, by its author's name (the id only when that one is gone). */
export function ParentLink(props: { id: string; author: string | null }) {
  return <a href={`/admin/comments/${props.id}`}>{props.author ?? props.id.slice(0, 8)}</a>;
}

export function CommentRow(props: { comment: AdminComment; firstTimeMode: boolean; returnTo: string }) {
  const { t } = usePage();
  const { comment: c } = props;
  const reasons = describeReasons(t, c.reasons, c.status, props.firstTimeMode);
  return (
    <tr id={`c-${c.id}`}>
      <td>
        <input type="checkbox" name="id" value={c.id} id={`select-${c.id}`} aria-label={t("adminSelectComment", { author: c.author })} />
      </td>
      <td>
        <b>{c.author}</b>
        {c.byEditor && (
          <>
            {" "}
            <EditorBadge />
          </>
        )}
        <br />
        <a href={`mailto:${c.email}`}>{c.email}</a>
        {c.url && (
          <>
            <br />
            <a href={c.url} rel="nofollow noopener noreferrer">
              {c.url}
            </a>
          </>
        )}
        <br />
        <small>
          {t("adminIpHash")}: <code>{c.ipHash ? c.ipHash.slice(0, 12) : "–"}</code>
        </small>
      </td>
      <td>
        <CommentPreview html={c.bodyHtml} />
        {reasons.length > 0 && (
          <div class="reasons">
            <b>{t("adminReasons")}:</b>
            <ul>
              {reasons.map((r) => (
                <li>{r}</li>
              ))}
            </ul>
          </div>
        )}
        {c.parentId && (
          <p class="meta">
            {t("adminReplyTo")} <ParentLink id={c.parentId} author={c.parentAuthor} />
          </p>
        )}
      </td>
      <td>
        <a href={`/articles/${c.articleSlug}`}>{c.articleTitle}</a>
        <br />
        <a href={`/admin?article=${encodeURIComponent(c.articleSlug)}`} class="meta">
          {t("adminFilter")}
        </a>
      </td>
      <td>
        {t(STATUS_LABELS[c.status] ?? "statusPending")}
        <br />
        <DateTime at={c.createdAt} withTime />
      </td>
      <td>
        {/* The flex box inside the cell: a flex td would leave the table's row layout. */}
        <div class="row-actions">
          {actionsFor(c.status).map((a) => (
            <button
              type="submit"
              formaction={`/admin/comments/${c.id}/${a.action}?return=${encodeURIComponent(props.returnTo)}`}
              class={a.action === "delete" ? "danger" : undefined}
            >
              {t(a.label)}
            </button>
          ))}
          <a href={`/admin/comments/${c.id}`}>{t("adminEdit")}</a>
        </div>
      </td>
    </tr>
  );
}
