// The comment's fields and the queue contract. The endpoint and the consumer
// validate with the same functions, so a message the consumer accepts is one
// the endpoint could have accepted.
import { LANGUAGES, type Language } from "../db/schema";

/**
 * WordPress's limits, counted as it counts them: in UTF-8 bytes. They also
 * keep every queue message well under the Queues limit of 128 KB.
 */
export const COMMENT_LIMITS = { author: 245, email: 100, url: 200, comment: 65_525 } as const;

export const COMMENT_FIELDS = ["author", "email", "url", "comment", "parent"] as const;
export type CommentField = (typeof COMMENT_FIELDS)[number];

export type FieldProblem =
  | { code: "required" }
  | { code: "too_long"; max: number }
  | { code: "not_text" }
  | { code: "control_characters" }
  | { code: "invalid_email" }
  | { code: "invalid_url" }
  | { code: "invalid_parent" };

export type FieldErrors = Partial<Record<CommentField, FieldProblem>>;

export interface CommentInput {
  author: string;
  email: string;
  url: string | null;
  comment: string;
  parentId: string | null;
}

export const COMMENT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
// Single-line fields take no control characters; the comment keeps newlines and tabs.
const LINE_CONTROLS = /[\u0000-\u001f\u007f]/;
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

const utf8 = new TextEncoder();

type Checked<T> = { value: T } | { problem: FieldProblem };

function checkText(raw: unknown, opts: { required: boolean; max: number; multiline?: boolean }): Checked<string> {
  if (raw === undefined || raw === null) return opts.required ? { problem: { code: "required" } } : { value: "" };
  if (typeof raw !== "string") return { problem: { code: "not_text" } };
  const value = opts.multiline ? raw.replace(/\r\n?/g, "\n").trim() : raw.trim();
  if (opts.required && value === "") return { problem: { code: "required" } };
  if ((opts.multiline ? TEXT_CONTROLS : LINE_CONTROLS).test(value)) return { problem: { code: "control_characters" } };
  if (utf8.encode(value).byteLength > opts.max) return { problem: { code: "too_long", max: opts.max } };
  return { value };
}

/** A website as typed: scheme optional ("example.com" means https), http or https only. */
export function normalizeWebsite(value: string): string | null {
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(value) ? value : `https://${value}`;
  try {
    const url = new URL(withScheme);
    if (url.protocol !== "http:" && url.protocol !== "https:") return null;
    if (!url.hostname.includes(".") && url.hostname !== "localhost") return null;
    return url.href;
  } catch {
    return null;
  }
}

/** Validates a submitted comment's fields (from a form, JSON or a queue message). */
export function validateCommentInput(raw: Record<string, unknown>): { ok: true; input: CommentInput } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const author = checkText(raw.author, { required: true, max: COMMENT_LIMITS.author });
  const email = checkText(raw.email, { required: true, max: COMMENT_LIMITS.email });
  const url = checkText(raw.url, { required: false, max: COMMENT_LIMITS.url });
  const comment = checkText(raw.comment, { required: true, max: COMMENT_LIMITS.comment, multiline: true });
  const parent = checkText(raw.parent, { required: false, max: 36 });
  if ("problem" in author) errors.author = author.problem;
  if ("problem" in email) errors.email = email.problem;
  else if (!EMAIL_PATTERN.test(email.value)) errors.email = { code: "invalid_email" };
  let website: string | null = null;
  if ("problem" in url) errors.url = url.problem;
  else if (url.value !== "") {
    website = normalizeWebsite(url.value);
    if (website === null) errors.url = { code: "invalid_url" };
    else if (website.length > COMMENT_LIMITS.url) errors.url = { code: "too_long", max: COMMENT_LIMITS.url };
  }
  if ("problem" in comment) errors.comment = comment.problem;
  if ("problem" in parent) errors.parent = { code: "invalid_parent" };
  else if (parent.value !== "" && !COMMENT_ID_PATTERN.test(parent.value)) errors.parent = { code: "invalid_parent" };
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const value = (c: Checked<string>) => ("value" in c ? c.value : "");
  return {
    ok: true,
    input: {
      author: value(author),
      email: value(email),
      url: website,
      comment: value(comment),
      parentId: value(parent) || null,
    },
  };
}

/** What the endpoint puts on the queue: one accepted comment. */
export interface CommentMessage extends CommentInput {
  v: 1;
  /** Producer-made; the comment's primary key, so a redelivery stores one row. */
  id: string;
  articleId: number;
  lang: Language;
  ipHash: string | null;
  userAgent: string | null;
  submittedAt: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Checks a queue message body; never trusts its shape. */
export function parseCommentMessage(body: unknown): { ok: true; message: CommentMessage } | { ok: false; error: string } {
  if (!isRecord(body)) return { ok: false, error: "body is not an object" };
  if (body.v !== 1) return { ok: false, error: `unknown message version ${JSON.stringify(body.v)}` };
  if (typeof body.id !== "string" || !COMMENT_ID_PATTERN.test(body.id)) return { ok: false, error: "id is not a comment id" };
  if (!Number.isSafeInteger(body.articleId) || (body.articleId as number) < 1) return { ok: false, error: "articleId is not a positive integer" };
  if (typeof body.lang !== "string" || !(LANGUAGES as readonly string[]).includes(body.lang)) return { ok: false, error: "lang is not a supported language" };
  if (!Number.isSafeInteger(body.submittedAt)) return { ok: false, error: "submittedAt is not a time" };
  for (const key of ["ipHash", "userAgent"] as const) {
    if (body[key] !== null && typeof body[key] !== "string") return { ok: false, error: `${key} is not a string or null` };
  }
  const fields = validateCommentInput({ ...body, parent: body.parentId });
  if (!fields.ok) {
    const [field, problem] = Object.entries(fields.errors)[0] ?? ["?", { code: "?" }];
    return { ok: false, error: `${field}: ${problem.code}` };
  }
  return {
    ok: true,
    message: {
      v: 1,
      id: body.id,
      articleId: body.articleId as number,
      lang: body.lang as Language,
      ipHash: (body.ipHash as string | null) ?? null,
      userAgent: (body.userAgent as string | null) ?? null,
      submittedAt: body.submittedAt as number,
      ...fields.input,
    },
  };
}
