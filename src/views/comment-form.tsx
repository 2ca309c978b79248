import { getAssetPath } from "../assets";
import { COMMENT_LIMITS, type CommentField, type FieldErrors, type FieldProblem } from "../comments/message";
import { COMMENT_TAGS } from "../comments/sanitize";
import { HONEYPOT_FIELD } from "../comments/submit";
import { MY_DATA_PATH } from "../config";
import type { Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { usePage } from "./page-context";
import { PrivacyNotice } from "./site-nav";

export interface CommentFormState {
  values: Partial<Record<CommentField | "remember" | "notify", string>>;
  errors: FieldErrors;
  /** A message about the whole submission (flood, duplicate, …). */
  formError?: { key: MessageKey; params?: Record<string, string | number> };
}

const PROBLEM_KEYS: Record<FieldProblem["code"], MessageKey> = {
  required: "errRequired",
  too_long: "errTooLong",
  not_text: "errNotText",
  control_characters: "errControlCharacters",
  invalid_email: "errInvalidEmail",
  invalid_url: "errInvalidUrl",
  invalid_parent: "errInvalidParent",
};

/** What the form is served with besides its state: its token, and whether it offers "notify me" (only when mail can be sent). */
export interface CommentFormOptions {
  token: string;
  offerNotify: boolean;
}

/** A field problem in words. */
export function describeProblem(t: Translate, problem: FieldProblem): string {
  return t(PROBLEM_KEYS[problem.code], "max" in problem ? { max: problem.max } : undefined);
}

/** The allowed tags as the seed's form lists them: <a href="" title=""> <abbr title=""> … */
const ALLOWED_TAGS_TEXT = Object.entries(COMMENT_TAGS)
  .map(([tag, attrs]) => `<${[tag, ...attrs.map((a) => `${a}=""`)].join(" ")}>`)
  .join(" ");

function FieldError(props: { id: string; problem: FieldProblem | undefined }) {
  const { t } = usePage();
  if (!props.problem) return null;
  return (
    <span class="field-error" id={`${props.id}-error`}>
      {describeProblem(t, props.problem)}
    </span>
  );
}

/** The summary above the form: what went wrong with the whole submission, or which fields to look at. */
function summarizeErrors(t: Translate, state: CommentFormState): string {
  const { parent, ...fields } = state.errors;
  // The reply target is a hidden field: its problem is said in words, never as "see the marked fields".
  const lead = state.formError ? t(state.formError.key, state.formError.params) : Object.keys(fields).length > 0 ? t("formHasErrors") : "";
  return [lead, parent ? describeProblem(t, parent) : ""].filter(Boolean).join(" ");
}

function describedBy(id: string, errors: FieldErrors, field: CommentField, extra?: string): string | undefined {
  const ids = [extra, errors[field] ? `${id}-error` : undefined].filter(Boolean);
  return ids.length > 0 ? ids.join(" ") : undefined;
}

const REQUIRED_MARK = (
  <span class="required" aria-hidden="true">
    *
  </span>
);

/** One of the form's one-line fields (author, e-mail, website), with its label, limit and error. */
function TextField(props: {
  field: "author" | "email" | "url";
  type: "text" | "email" | "url";
  label: MessageKey;
  autocomplete: string;
  required?: boolean;
  /** The id of text that describes the field besides its error. */
  notes?: string;
  state: CommentFormState;
}) {
  const { t } = usePage();
  const { field } = props;
  const problem = props.state.errors[field];
  return (
    <p class={`comment-form-${field}`}>
      <label for={field}>
        {t(props.label)} {props.required && REQUIRED_MARK}
      </label>
      <input
        id={field}
        name={field}
        type={props.type}
        value={props.state.values[field] ?? ""}
        maxlength={COMMENT_LIMITS[field]}
        autocomplete={props.autocomplete}
        required={props.required}
        aria-invalid={problem ? "true" : undefined}
        aria-describedby={describedBy(field, props.state.errors, field, props.notes)}
      />
      <FieldError id={field} problem={problem} />
    </p>
  );
}

export function CommentForm(props: { slug: string; options: CommentFormOptions; replyTo: { id: string; author: string } | null; state: CommentFormState }) {
  const { t } = usePage();
  const { state } = props;
  const v = state.values;
  const e = state.errors;
  return (
    <section id="respond" class="comment-respond">
      <h2 id="reply-title">
        {props.replyTo ? t("replyTo", { author: props.replyTo.author }) : t("leaveReply")}
        {props.replyTo && (
          <small>
            {" "}
            <a href={`/articles/${props.slug}#respond`}>{t("cancelReply")}</a>
          </small>
        )}
      </h2>
      <form method="post" action={`/articles/${props.slug}/comments`} class="comment-form" aria-labelledby="reply-title">
        <p class="comment-notes">
          <span id="email-notes">{t("emailNote")}</span> {t("requiredNote")} <span class="required">*</span>
        </p>
        {(state.formError || Object.keys(e).length > 0) && (
          // Focused on load (tabindex -1 + autofocus), so the answer to a failed POST opens at the errors, without JavaScript.
          <p class="form-error" id="comment-form-errors" role="alert" tabindex={-1} autofocus>
            {summarizeErrors(t, state)}
          </p>
        )}
        <p class="comment-form-comment">
          <label for="comment">
            {t("fieldComment")} {REQUIRED_MARK}
          </label>
          <textarea
            id="comment"
            name="comment"
            rows={8}
            maxlength={COMMENT_LIMITS.comment}
            required
            aria-invalid={e.comment ? "true" : undefined}
            aria-describedby={describedBy("comment", e, "comment")}
          >
            {v.comment ?? ""}
          </textarea>
          <FieldError id="comment" problem={e.comment} />
        </p>
        <TextField field="author" type="text" label="fieldAuthor" autocomplete="name" required state={state} />
        <TextField field="email" type="email" label="fieldEmail" autocomplete="email" required state={state} notes="email-notes" />
        <TextField field="url" type="url" label="fieldUrl" autocomplete="url" state={state} />
        <div class="hp" aria-hidden="true">
          <label for={HONEYPOT_FIELD}>{t("fieldHoneypot")}</label>
          <input id={HONEYPOT_FIELD} name={HONEYPOT_FIELD} type="text" value="" tabindex={-1} autocomplete="off" />
        </div>
        <p class="comment-form-cookies-consent">
          <input id="remember" name="remember" type="checkbox" value="yes" checked={v.remember === "yes"} /> <label for="remember">{t("rememberMe")}</label>
        </p>
        {props.options.offerNotify && (
          <p class="comment-form-notify">
            <input id="notify" name="notify" type="checkbox" value="yes" checked={v.notify === "yes"} /> <label for="notify">{t("notifyReplies")}</label>
          </p>
        )}
        <PrivacyNotice />
        <p class="comment-form-my-data">
          <a href={MY_DATA_PATH}>{t("myDataLink")}</a>
        </p>
        <p class="form-allowed-tags" id="allowed-tags">
          {t("allowedTags")} <code>{ALLOWED_TAGS_TEXT}</code>
        </p>
        <input type="hidden" name="parent" value={props.replyTo?.id ?? v.parent ?? ""} />
        <input type="hidden" name="token" value={props.options.token} />
        <p class="form-submit">
          <button type="submit">{t("submitComment")}</button>
        </p>
      </form>
      <script src={getAssetPath("commentForm")} defer></script>
    </section>
  );
}
