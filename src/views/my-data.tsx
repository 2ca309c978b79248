// The "your data" pages (src/routes/my-data.tsx): ask for the link, see what
// is stored, download it, erase it after a confirmation. Each step that
// changes something is a POST with the link's sealed token; a GET only shows.

import { COMMENT_LIMITS } from "../comments/message";
import type { StoredComment } from "../comments/personal-data-queries";
import { MY_DATA_PATH } from "../config";
import type { CommentStatus } from "../db/schema";
import { formatDate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { usePage } from "./page-context";

const STATUS_KEYS: Record<CommentStatus, MessageKey> = {
  pending: "myDataStatusPending",
  approved: "myDataStatusApproved",
  spam: "myDataStatusSpam",
  trash: "myDataStatusTrash",
};

/** The form that asks for the link; without mail, the way to write instead. */
export function MyDataRequestView(props: { email: string; error: string | null; mailOff: boolean }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("myDataTitle")}</h1>
      {props.mailOff ? (
        <p>{t("myDataNoMail")}</p>
      ) : (
        <>
          <p>{t("myDataIntro")}</p>
          <form method="post" action={MY_DATA_PATH} class="my-data-request">
            {props.error && (
              <p class="form-error" id="my-data-email-error" role="alert" tabindex={-1} autofocus>
                {props.error}
              </p>
            )}
            <p>
              <label for="my-data-email">{t("myDataEmail")}</label>{" "}
              <input
                id="my-data-email"
                name="email"
                type="email"
                value={props.email}
                maxlength={COMMENT_LIMITS.email}
                autocomplete="email"
                required
                aria-invalid={props.error ? "true" : undefined}
                aria-describedby={props.error ? "my-data-email-error" : undefined}
              />
            </p>
            <p>
              <button type="submit">{t("myDataSubmit")}</button>
            </p>
          </form>
        </>
      )}
    </>
  );
}

export function MyDataSentView(props: { hours: number }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("myDataSentTitle")}</h1>
      <p>{t("myDataSentText", { hours: props.hours })}</p>
    </>
  );
}

/** A link that does not open (invalid, expired, spent): why, and where to ask for a new one. */
export function MyDataLinkProblemView(props: { title: string; text: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href={MY_DATA_PATH}>{t("myDataRequestNew")}</a>
      </p>
    </>
  );
}

function StoredCommentItem(props: { comment: StoredComment }) {
  const { t, lang, timeZone } = usePage();
  const c = props.comment;
  const title = t("myDataComment", { date: formatDate(c.createdAt, lang, timeZone), title: c.article.title });
  return (
    <li class="my-data-comment">
      <p>
        {/* noreferrer: the page's own URL holds the link's token, which the article's request must not carry. */}
        <strong>
          {c.article.visible ? (
            <a href={`/articles/${c.article.slug}`} rel="noreferrer">
              {title}
            </a>
          ) : (
            title
          )}
        </strong>{" "}
        ({t(STATUS_KEYS[c.status])})
      </p>
      <blockquote>{c.bodyRaw}</blockquote>
      <dl>
        <dt>{t("myDataName")}</dt>
        <dd>{c.author}</dd>
        {c.url && (
          <>
            <dt>{t("myDataWebsite")}</dt>
            <dd>{c.url}</dd>
          </>
        )}
        {c.ipHash && (
          <>
            <dt>{t("myDataIpHash")}</dt>
            <dd>
              <code>{c.ipHash}</code>
            </dd>
          </>
        )}
        {c.userAgent && (
          <>
            <dt>{t("myDataUserAgent")}</dt>
            <dd>{c.userAgent}</dd>
          </>
        )}
      </dl>
      {c.notifyReplies && <p>{t("myDataSubscribed")}</p>}
    </li>
  );
}

/** Everything stored under the address, the download and the way to erase it. */
export function MyDataListView(props: { email: string; token: string; comments: StoredComment[] }) {
  const { t } = usePage();
  const { comments } = props;
  return (
    <>
      <h1>{t("myDataListTitle")}</h1>
      {comments.length === 0 ? (
        <p>{t("myDataNone", { email: props.email })}</p>
      ) : (
        <>
          <p>{t("myDataListIntro", { email: props.email })}</p>
          <ol class="my-data-comments">
            {comments.map((c) => (
              <StoredCommentItem comment={c} />
            ))}
          </ol>
        </>
      )}
      <form method="post" action={`${MY_DATA_PATH}/export`}>
        <input type="hidden" name="t" value={props.token} />
        <button type="submit">{t("myDataDownload")}</button>
      </form>
      {comments.length > 0 && (
        <p>
          <a href={`${MY_DATA_PATH}/erase?t=${props.token}`}>{t("myDataEraseLink")}</a>
        </p>
      )}
    </>
  );
}

/** The confirmation step: what goes, the choice to delete the text too, and the button that does it. */
export function MyDataEraseView(props: { email: string; token: string; count: number }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("myDataEraseTitle")}</h1>
      <p>{t("myDataEraseText", { count: props.count, email: props.email })}</p>
      <form method="post" action={`${MY_DATA_PATH}/erase`}>
        <input type="hidden" name="t" value={props.token} />
        <p>
          <input id="delete-comments" name="delete_comments" type="checkbox" value="yes" /> <label for="delete-comments">{t("myDataEraseDelete")}</label>
        </p>
        <p>
          <button type="submit">{t("myDataEraseButton")}</button>
        </p>
      </form>
    </>
  );
}

export function MyDataErasedView(props: { count: number; subscriptions: number; deleted: boolean }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("myDataErasedTitle")}</h1>
      <p>{t(props.deleted ? "myDataErasedDeleted" : "myDataErasedAnonymised", { count: props.count, subscriptions: props.subscriptions })}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </>
  );
}
