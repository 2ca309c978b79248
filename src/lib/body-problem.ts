// What can be wrong with a request body before any schema looks at it, as
// data: the status it answers with, an English sentence for JSON clients and
// logs, and the code an HTML page translates (src/routes/errors.ts), so a
// refused form speaks the page's language.
import { HTTPException } from "hono/http-exception";

export type BodyFormat = "form" | "json";

export type BodyProblem =
  | { code: "unreadable_content_type"; detail: string }
  | { code: "unsupported_type" }
  | { code: "wrong_format"; formats: readonly BodyFormat[] }
  | { code: "charset"; charset: string }
  | { code: "no_boundary" }
  | { code: "too_large"; limit: number }
  | { code: "not_utf8" }
  | { code: "multipart_unparseable" }
  | { code: "not_json" }
  | { code: "json_not_object" }
  | { code: "field_not_utf8"; field: string }
  | { code: "field_bad_encoding"; field: string }
  | { code: "field_repeated"; field: string }
  | { code: "field_file"; field: string };

/** The status a body problem answers with: 413 too large, 415 a type we do not take, else 400. */
function bodyProblemStatus(problem: BodyProblem): 400 | 413 | 415 {
  if (problem.code === "too_large") return 413;
  if (problem.code === "unsupported_type" || problem.code === "wrong_format" || problem.code === "charset") return 415;
  return 400;
}

/** Form field names in messages: cut short, as a client may send anything. */
export function shortFieldName(field: string): string {
  return field.slice(0, 40);
}

/** The problem in English (JSON answers, logs). */
function describeBodyProblem(problem: BodyProblem): string {
  switch (problem.code) {
    case "unreadable_content_type":
      return `the Content-Type header cannot be read: ${problem.detail}`;
    case "unsupported_type":
      return "Content-Type must be application/x-www-form-urlencoded, multipart/form-data or application/json";
    case "wrong_format":
      return `send ${problem.formats.map((f) => (f === "json" ? "application/json" : "a form")).join(" or ")}`;
    case "charset":
      return `the body must be UTF-8, not ${problem.charset}`;
    case "no_boundary":
      return "multipart/form-data needs a boundary parameter of 1 to 70 characters (RFC 2046)";
    case "too_large":
      return `the body is larger than ${problem.limit} bytes`;
    case "not_utf8":
      return "the body is not valid UTF-8";
    case "multipart_unparseable":
      return "the multipart body could not be parsed";
    case "not_json":
      return "the body is not valid JSON";
    case "json_not_object":
      return "the JSON body must be an object";
    case "field_not_utf8":
      return `the form field "${shortFieldName(problem.field)}" is not valid UTF-8`;
    case "field_bad_encoding":
      return `the form field "${shortFieldName(problem.field)}" is not valid percent-encoded UTF-8`;
    case "field_repeated":
      return `the form field "${shortFieldName(problem.field)}" was sent more than once`;
    case "field_file":
      return `the form field "${shortFieldName(problem.field)}" must be text, not a file`;
  }
}

/** A refused body as Hono's HTTPException (status and English message), carrying the problem for pages to translate. */
export class BodyError extends HTTPException {
  constructor(readonly problem: BodyProblem) {
    super(bodyProblemStatus(problem), { message: describeBodyProblem(problem) });
  }
}
