// POST /articles/:slug/comments: form or JSON in, 303/202 or a clear error out.
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import * as v from "valibot";
import { setPersonalCaching } from "../cache";
import { keepGenuineFormToken } from "../comments/form-token";
import type { FieldErrors } from "../comments/message";
import { MODERATION_HASH_PARAM, ownCommentPath, signModerationHash, UNAPPROVED_PARAM } from "../comments/own-comment";
import { canMailCommenters } from "../comments/reader-mail";
import { encodeRememberCookie, REMEMBER_COOKIE, REMEMBER_MAX_AGE_SECONDS } from "../comments/remember";
import { type FormProblem, type SubmitRequest, type SubmitResult, submitComment, UNAVAILABLE_RETRY_SECONDS } from "../comments/submit";
import type { CommentSettings } from "../config";
import type { AppEnv } from "../env";
import type { Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { wantsSecureCookies } from "../lib/cookies";
import { NotFoundError } from "../lib/errors";
import { Hono } from "../lib/hono";
import { BODY_FORMAT, validBody } from "../lib/request-body";
import { SLUG_PATTERN } from "../lib/slug";
import { CommentAnswerView } from "../views/comment-answer";
import { type CommentFormState, describeProblem } from "../views/comment-form";
import { commentSettingsOrNull, renderArticlePage } from "./article-page";
import { handOutBookmark, writerDb } from "./db";
import { answerError } from "./errors";
import { getPageTranslator, renderPage } from "./respond";

/** Largest accepted body: a full 65,525-character comment, percent-encoded, fits with room to spare. */
const MAX_COMMENT_BODY_BYTES = 1024 * 1024;

const PROBLEM_KEYS: Record<FormProblem, MessageKey> = {
  honeypot: "errHoneypot",
  token_missing: "errTokenMissing",
  token_expired: "errTokenExpired",
  too_fast: "errTooFast",
  flood: "errFlood",
  rate_limited: "errRateLimited",
  duplicate: "errDuplicate",
  closed: "errClosed",
  unavailable: "errUnavailable",
};

function describeFields(t: Translate, errors: FieldErrors): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([field, problem]) => [field, describeProblem(t, problem)]));
}

function clientIp(c: Context<AppEnv>): string | null {
  return c.req.header("CF-Connecting-IP") ?? null;
}

/**
 * The comment body as the route sees it: a JSON object or form fields, read
 * strictly (size, UTF-8, repeats). The field rules are the one schema in
 * comments/message.ts, applied inside submitComment: a field problem is an
 * answer there (the form again, text kept), not a refused request.
 */
const CommentBody = v.record(v.string(), v.unknown());

function isJsonRequest(c: Context<AppEnv>): boolean {
  return /^application\/json\b/i.test(c.req.header("Content-Type") ?? "");
}

const comments = new Hono<AppEnv>();
// The one place the comment endpoint's errors become responses: JSON for JSON posts, a page for forms.
comments.onError((err, c) => answerError(c, err, isJsonRequest(c) ? "json" : "html"));

comments.post("/articles/:slug/comments", validBody(CommentBody, { limit: MAX_COMMENT_BODY_BYTES }), async (c) => {
  setPersonalCaching(c);
  const slug = c.req.param("slug");
  const fields = c.req.valid("form");
  if (!SLUG_PATTERN.test(slug)) throw new NotFoundError(`no article "${slug.slice(0, 80)}"`);
  // A misconfigured var: the submitter gets 503 with the text kept.
  const settings = commentSettingsOrNull(c.env);
  const result: Answer = settings
    ? await submitSigned(c, settings, { slug, fields, ip: clientIp(c), userAgent: c.req.header("User-Agent") ?? null })
    : { kind: "rejected", status: 503, problem: "unavailable", retryAfter: UNAVAILABLE_RETRY_SECONDS };
  if (result.kind === "not_found") throw new NotFoundError(`no published article "${slug}" takes comments`);
  if (result.kind === "accepted") handOutBookmark(c);
  if (fields[BODY_FORMAT] === "json") return answerJson(c, slug, result, getPageTranslator(c, result.kind === "accepted" ? result.lang : c.get("language")));
  return answerForm(c, slug, result, fields);
});

/** A submission's outcome; an accepted one with the hash of the submitter's own link to it. */
type Answer = Exclude<SubmitResult, { kind: "accepted" }> | (Extract<SubmitResult, { kind: "accepted" }> & { hash: string });

/** Submits the comment; an accepted one gets its moderation hash (WordPress's unapproved and moderation-hash link). */
async function submitSigned(c: Context<AppEnv>, settings: CommentSettings, req: SubmitRequest): Promise<Answer> {
  const now = Date.now();
  const deps = { db: writerDb(c), queue: c.env.COMMENT_QUEUE, settings, commenterMail: canMailCommenters(c.env), now };
  const result = await submitComment(deps, req);
  return result.kind === "accepted" ? { ...result, hash: await signModerationHash(settings.formSecret, result.id, now) } : result;
}

function answerJson(c: Context<AppEnv>, slug: string, result: Exclude<Answer, { kind: "not_found" }>, t: Translate) {
  if (result.kind === "accepted") {
    const location = ownCommentPath(slug, result.id, result.hash);
    c.header("Location", location);
    const own = { [UNAPPROVED_PARAM]: result.id, [MODERATION_HASH_PARAM]: result.hash };
    return c.json({ id: result.id, status: "pending", notify: result.notify, location, ...own }, 202);
  }
  if (result.kind === "invalid") return c.json({ error: t("formHasErrors"), fields: describeFields(t, result.errors) }, 422);
  if (result.retryAfter) c.header("Retry-After", String(result.retryAfter));
  return c.json({ error: t(PROBLEM_KEYS[result.problem], { seconds: result.retryAfter ?? 0 }), code: result.problem }, result.status);
}

async function answerForm(c: Context<AppEnv>, slug: string, result: Exclude<Answer, { kind: "not_found" }>, fields: Record<string, unknown>) {
  const remember = fields.remember === "yes";
  if (result.kind === "accepted") {
    const secure = wantsSecureCookies(c.req.url);
    if (remember) {
      const value = encodeRememberCookie({
        author: String(fields.author ?? "").trim(),
        email: String(fields.email ?? "").trim(),
        url: String(fields.url ?? "").trim(),
      });
      // Readable by the form's script (not HttpOnly): it holds only what the submitter typed, for their own browser.
      setCookie(c, REMEMBER_COOKIE, value, { path: "/", maxAge: REMEMBER_MAX_AGE_SECONDS, sameSite: "Lax", secure });
    } else {
      deleteCookie(c, REMEMBER_COOKIE, { path: "/", secure });
    }
    return c.redirect(ownCommentPath(slug, result.id, result.hash), 303);
  }
  const values = Object.fromEntries(Object.entries(fields).filter(([, value]) => typeof value === "string")) as Record<string, string>;
  if (result.kind === "invalid") return renderFormAgain(c, slug, { values, errors: result.errors }, fields.token, 422);
  if (result.retryAfter) c.header("Retry-After", String(result.retryAfter));
  const formError = { key: PROBLEM_KEYS[result.problem], params: { seconds: result.retryAfter ?? 0 } };
  return renderFormAgain(c, slug, { values, errors: {}, formError }, fields.token, result.status);
}

/**
 * The form again with the reader's text, on the article's page; when even the
 * article cannot be read (D1 failing), on a page of its own, so the text is
 * never lost to an error page.
 */
async function renderFormAgain(c: Context<AppEnv>, slug: string, form: CommentFormState, submittedToken: unknown, status: 403 | 409 | 422 | 429 | 503) {
  try {
    return await renderArticlePage(c, slug, { form, submittedToken, status });
  } catch (err) {
    console.error("the article could not be read; the comment form is shown on its own", slug, err);
    const settings = commentSettingsOrNull(c.env);
    const token = settings ? await keepGenuineFormToken(settings.formSecret, submittedToken, Date.now()) : "";
    const lang = c.get("language");
    return renderPage(
      c,
      { lang, title: getPageTranslator(c, lang)("commentAnswerTitleUntitled") },
      () => <CommentAnswerView article={{ slug, title: null }} form={form} formOptions={{ token, offerNotify: canMailCommenters(c.env) }} replyTo={null} />,
      status,
    );
  }
}

export default comments;
