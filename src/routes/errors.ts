// Turns what a route throws (Hono's HTTPException from middleware, typed
// domain errors) into a response. Each URL area's onError calls this once,
// choosing JSON (API, JSON posts) or an HTML page (pages, form posts).
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { CACHE_NONE } from "../cache";
import { listStackFrames, summarizeError } from "../db/error-text";
import type { AppEnv } from "../env";
import type { Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { BodyError, type BodyProblem, shortFieldName } from "../lib/body-problem";
import { DomainError, type FieldMessages, InvalidInputError, statusOf, UnavailableError } from "../lib/errors";
import { renderErrorPage } from "./respond";

type ErrorStatus = 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 500 | 503;

const DEFAULT_MESSAGES: Partial<Record<number, string>> = {
  401: "credentials are required",
  403: "cross-site request refused",
};

/** A refused body in the page's language. */
function translateBodyProblem(t: Translate, problem: BodyProblem): string {
  const field = "field" in problem ? shortFieldName(problem.field) : "";
  switch (problem.code) {
    case "unreadable_content_type":
      return t("bodyUnreadableContentType");
    case "unsupported_type":
      return t("bodyUnsupportedType");
    case "wrong_format":
      return problem.formats.length > 1 ? t("bodyUnsupportedType") : problem.formats[0] === "json" ? t("bodyJsonOnly") : t("bodyFormOnly");
    case "charset":
      return t("bodyCharset", { charset: problem.charset });
    case "no_boundary":
      return t("bodyNoBoundary");
    case "too_large":
      return t("bodyTooLarge", { kilobytes: Math.floor(problem.limit / 1024) });
    case "not_utf8":
      return t("bodyNotUtf8");
    case "multipart_unparseable":
      return t("bodyMultipartUnparseable");
    case "not_json":
      return t("bodyNotJson");
    case "json_not_object":
      return t("bodyJsonNotObject");
    case "field_not_utf8":
      return t("bodyFieldNotUtf8", { field });
    case "field_bad_encoding":
      return t("bodyFieldBadEncoding", { field });
    case "field_repeated":
      return t("bodyFieldRepeated", { field });
    case "field_file":
      return t("bodyFieldFile", { field });
  }
}

function titleFor(status: number): MessageKey {
  if (status === 404) return "notFoundTitle";
  if (status === 405) return "methodNotAllowedTitle";
  return status >= 500 ? "errorTitle" : "badRequestTitle";
}

/** What a known error says, or null for anything else (a bug: the app's 500 page). */
export function describeError(err: unknown): { status: ErrorStatus; message: string; fields?: FieldMessages; retryAfter?: number } | null {
  if (err instanceof HTTPException) {
    const status = err.status as ErrorStatus;
    return { status, message: err.message || DEFAULT_MESSAGES[status] || "the request was refused" };
  }
  if (err instanceof DomainError) {
    const retryAfter = err instanceof UnavailableError && err.retryAfterSeconds ? err.retryAfterSeconds : undefined;
    return { status: statusOf(err), message: err.message, fields: err instanceof InvalidInputError ? err.fields : undefined, retryAfter };
  }
  return null;
}

/** Logs an error no area knows: D1's message and the call frames, never drizzle's query with its parameters. */
export function logUnhandledError(c: Context<AppEnv>, err: unknown): void {
  console.error("unhandled error", c.req.method, c.req.path, summarizeError(err), listStackFrames(err));
}

/** The response for a known error, in the format the area speaks; anything else is a 500 (JSON here, else the app's page). */
export function answerError(c: Context<AppEnv>, err: Error, format: "json" | "html"): Response | Promise<Response> {
  const known = describeError(err);
  if (!known && format === "html") throw err;
  if (!known) {
    // A JSON client cannot read the app's HTML 500 page.
    logUnhandledError(c, err);
    c.header("Cache-Control", CACHE_NONE);
    return c.json({ error: "something went wrong on our side; try again later" }, 500);
  }
  // Middleware responses carry headers that must survive (WWW-Authenticate).
  if (err instanceof HTTPException)
    for (const name of ["WWW-Authenticate", "Retry-After"]) {
      const value = err.getResponse().headers.get(name);
      if (value) c.header(name, value);
    }
  if (known.retryAfter) c.header("Retry-After", String(known.retryAfter));
  c.header("Cache-Control", CACHE_NONE);
  if (format === "json") return c.json({ error: known.message, ...(known.fields ? { fields: known.fields } : {}) }, known.status as ContentfulStatusCode);
  // A refused form speaks the page's language, like every other error page.
  if (err instanceof BodyError) return renderErrorPage(c, known.status, titleFor(known.status), (t) => translateBodyProblem(t, err.problem));
  const detail = known.fields ? Object.entries(known.fields).map(([field, why]) => `${field}: ${why}`) : [];
  return renderErrorPage(c, known.status, titleFor(known.status), () => [known.message, ...detail].join(" · "));
}
