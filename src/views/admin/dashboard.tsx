import { getAssetPath } from "../../assets";
import type { DeskStats } from "../../comments/desk-stats";
import type { AdminComment, FailedMessage } from "../../comments/moderation-queries";
import type { CommentStatus } from "../../db/schema";
import { DateTime, usePage } from "../page-context";
import { CommentRow, STATUS_LABELS } from "./comment-row";
import { StatsView } from "./stats";

export interface DashboardData {
  counts: Record<CommentStatus, number>;
  status: CommentStatus | null;
  article: string | null;
  comments: AdminComment[];
  nextHref: string | null;
  isFirstPage: boolean;
  failed: FailedMessage[];
  /** Failed-message records older than this are deleted by the daily clean-up; 0 keeps them. */
  failedKeepDays: number;
  stats: DeskStats;
  now: number;
  csrf: string;
  firstTimeMode: boolean;
  notice: string | null;
  returnTo: string;
}

const STATUSES: CommentStatus[] = ["pending", "approved", "spam", "trash"];

function LogoutForm(props: { csrf: string }) {
  const { t } = usePage();
  return (
    <form method="post" action="/admin/logout" class="inline-form">
      <input type="hidden" name="csrf" value={props.csrf} />
      <button type="submit">{t("adminLogout")}</button>
      <button type="submit" formaction="/admin/logout-all">
        {t("adminLogoutEverywhere")}
      </button>
    </form>
  );
}

function FailedMessages(props: { failed: FailedMessage[]; keepDays: number; csrf: string }) {
  const { t } = usePage();
  if (props.failed.length === 0) return null;
  return (
    <section aria-labelledby="failed-title" class="failed">
      <h2 id="failed-title">
        {t("adminFailed")} ({props.failed.length})
      </h2>
      <p>
        {t("adminFailedIntro")}
        {props.keepDays > 0 ? ` ${t("adminFailedExpiry", { days: props.keepDays })}` : ""}
      </p>
      <ul>
        {props.failed.map((f) => (
          <li>
            <DateTime at={f.createdAt} withTime /> · <code>{f.error}</code>
            <pre>{f.body.slice(0, 400)}</pre>
            <form method="post" action={`/admin/failed/${encodeURIComponent(f.id)}/retry`} class="inline-form">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button type="submit">{t("adminRetry")}</button>
            </form>{" "}
            <form method="post" action={`/admin/failed/${encodeURIComponent(f.id)}/resolve`} class="inline-form">
              <input type="hidden" name="csrf" value={props.csrf} />
              <button type="submit">{t("adminResolve")}</button>
            </form>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function DashboardView(props: { data: DashboardData }) {
  const { t } = usePage();
  const { data } = props;
  return (
    <>
      <div class="admin-bar">
        <h1>{t("adminTitle")}</h1>
        <LogoutForm csrf={data.csrf} />
      </div>
      {data.notice && (
        <p class="notice" role="status">
          {data.notice}
        </p>
      )}
      <StatsView stats={data.stats} now={data.now} />
      <nav aria-label={t("adminCounts")} class="status-nav">
        <ul>
          {STATUSES.map((s) => (
            <li>
              <a href={`/admin?status=${s}`} aria-current={data.status === s ? "page" : undefined}>
                {t(STATUS_LABELS[s] ?? "statusPending")} ({data.counts[s]})
              </a>
            </li>
          ))}
          <li>
            <a href="/admin?status=all" aria-current={data.status === null ? "page" : undefined}>
              {t("statusAll")}
            </a>
          </li>
        </ul>
      </nav>
      <form method="get" action="/admin" class="filter-form">
        <label for="filter-status">{t("adminColStatus")}</label>{" "}
        <select id="filter-status" name="status">
          {[...STATUSES, "all" as const].map((s) => (
            <option value={s} selected={(data.status ?? "all") === s}>
              {t(s === "all" ? "statusAll" : (STATUS_LABELS[s] ?? "statusPending"))}
            </option>
          ))}
        </select>{" "}
        <label for="filter-article">{t("adminArticleFilter")}</label> <input id="filter-article" name="article" type="text" value={data.article ?? ""} />{" "}
        <button type="submit">{t("adminFilter")}</button>
      </form>
      <FailedMessages failed={data.failed} keepDays={data.failedKeepDays} csrf={data.csrf} />
      {data.comments.length === 0 ? (
        <p>{t("adminNoComments")}</p>
      ) : (
        <form method="post" action={`/admin/comments/bulk?return=${encodeURIComponent(data.returnTo)}`}>
          <input type="hidden" name="csrf" value={data.csrf} />
          <p class="bulk">
            <label for="bulk-action">{t("adminBulkAction")}</label>{" "}
            <select id="bulk-action" name="action">
              <option value="" selected>
                {t("adminChooseAction")}
              </option>
              <option value="approve">{t("actionApprove")}</option>
              <option value="unapprove">{t("actionUnapprove")}</option>
              <option value="spam">{t("actionSpam")}</option>
              <option value="trash">{t("actionTrash")}</option>
              <option value="restore">{t("actionRestore")}</option>
              <option value="delete">{t("actionDelete")}</option>
            </select>{" "}
            <button type="submit">{t("adminApply")}</button>
          </p>
          <div class="table-wrap">
            <table class="admin-table">
              <caption>{t(data.status ? (STATUS_LABELS[data.status] ?? "statusAll") : "statusAll")}</caption>
              <thead>
                <tr>
                  <th scope="col">
                    <input type="checkbox" id="select-all" aria-label={t("adminSelectAll")} hidden /> {t("adminSelect")}
                  </th>
                  <th scope="col">{t("adminColAuthor")}</th>
                  <th scope="col">{t("adminColComment")}</th>
                  <th scope="col">{t("adminColArticle")}</th>
                  <th scope="col">{t("adminColStatus")}</th>
                  <th scope="col">{t("adminColActions")}</th>
                </tr>
              </thead>
              <tbody>
                {data.comments.map((comment) => (
                  <CommentRow comment={comment} firstTimeMode={data.firstTimeMode} returnTo={data.returnTo} />
                ))}
              </tbody>
            </table>
          </div>
          <script src={getAssetPath("adminDesk")} defer></script>
        </form>
      )}
      <nav class="pagination" aria-label={t("pagination")}>
        {data.isFirstPage ? <span /> : <a href={data.returnTo.replace(/([?&])cursor=[^&]*&?/, "$1").replace(/[?&]$/, "")}>{t("adminFirstPage")}</a>}
        {data.nextHref ? <a href={data.nextHref}>{t("adminNextPage")} →</a> : <span />}
      </nav>
    </>
  );
}
