// The comment's fields and the queue contract, as one valibot definition: the
// endpoint (form and JSON) and the consumer validate each field with the same
// schema, so a message the consumer accepts is one the endpoint could have accepted.
import * as v from "valibot";
import { LANGUAGES, type Language } from "../db/schema";

/** WordPress's limits, counted as it counts them: in UTF-8 bytes. */
export const COMMENT_LIMITS = { author: 245, email: 100, url: 200, comment: 65_525 } as const;

const COMMENT_FIELDS = ["author", "email", "url", "comment", "parent"] as const;
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
  /** The commenter asked for mail when it is approved and when someone replies (off when absent). */
  notify?: boolean;
}

export const COMMENT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EMAIL_PATTERN = /^[^\s@<>()[\]\\,;:"]+@[^\s@<>()[\]\\,;:"]+\.[^\s@<>()[\]\\,;:".]{2,}$/;
// Single-line fields take no control characters; the comment keeps newlines and tabs.
const LINE_CONTROLS = /[\u0000-\u001f\u007f]/;
const TEXT_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
// Direction overrides and marks would reorder what follows a name on the page: names lose them.
const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// What shows nothing: zero-width characters, soft hyphen, BOM, fillers, white space.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}\p{White_Space}\u115f\u1160\u3164\uffa0\u2800]/gu;

const LONE_SURROGATE = /\p{Cs}/u;

const utf8 = new TextEncoder();

// Issue messages carry the FieldProblem code (and a limit): see toFieldErrors.
const tooLong = (max: number) => `too_long:${max}`;

function textField(opts: { required: boolean; max: number; multiline?: boolean; name?: boolean }) {
  return v.pipe(
    v.nullish(v.string("not_text"), ""),
    // A lone surrogate (JSON "\ud800") is not text: it cannot be stored as UTF-8.
    v.check((s) => !LONE_SURROGATE.test(s), "not_text"),
    v.transform((s) => {
      const line = opts.multiline ? s.replace(/\r\n?/g, "\n") : s;
      return (opts.name ? line.replace(BIDI_CONTROLS, "") : line).trim();
    }),
    v.check((s) => !opts.required || s.replace(INVISIBLE, "") !== "", "required"),
    v.check((s) => !(opts.multiline ? TEXT_CONTROLS : LINE_CONTROLS).test(s), "control_characters"),
    v.check((s) => utf8.encode(s).byteLength <= opts.max, tooLong(opts.max)),
  );
}

/** A website as typed: scheme optional ("example.com" means https), http or https only. */
function normalizeWebsite(value: string): string | null {
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

const authorField = textField({ required: true, max: COMMENT_LIMITS.author, name: true });
const emailField = v.pipe(
  textField({ required: true, max: COMMENT_LIMITS.email }),
  v.check((s) => EMAIL_PATTERN.test(s), "invalid_email"),
);
const urlField = v.pipe(
  textField({ required: false, max: COMMENT_LIMITS.url }),
  v.check((s) => s === "" || normalizeWebsite(s) !== null, "invalid_url"),
  v.transform((s) => (s === "" ? null : normalizeWebsite(s))),
  v.check((url) => url === null || url.length <= COMMENT_LIMITS.url, tooLong(COMMENT_LIMITS.url)),
);
const commentField = textField({ required: true, max: COMMENT_LIMITS.comment, multiline: true });
const parentField = v.pipe(
  v.nullish(v.string("invalid_parent"), ""),
  v.transform((s) => s.trim()),
  v.check((s) => s === "" || COMMENT_ID_PATTERN.test(s), "invalid_parent"),
  v.transform((s) => s || null),
);

/** The form's checkbox sends "yes", a JSON body true; anything else (or nothing) is no. */
const notifyField = v.pipe(
  v.optional(v.unknown(), ""),
  v.transform((value) => value === "yes" || value === true),
);

/** A comment as a reader submits it (form or JSON body); plug into a validator middleware. */
const commentInputSchema = v.pipe(
  v.looseObject({ author: authorField, email: emailField, url: urlField, comment: commentField, parent: parentField, notify: notifyField }),
  v.transform((f): CommentInput => ({ author: f.author, email: f.email, url: f.url, comment: f.comment, parentId: f.parent, notify: f.notify })),
);

function parseProblem(message: string): FieldProblem {
  const [code, max] = message.split(":");
  if (code === "too_long") return { code, max: Number(max) };
  const known = ["required", "not_text", "control_characters", "invalid_email", "invalid_url", "invalid_parent"] as const;
  return { code: known.find((k) => k === code) ?? "not_text" } as FieldProblem;
}

/** The first problem of each field, from a failed parse of commentInputSchema. */
function toFieldErrors(issues: readonly v.BaseIssue<unknown>[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    const key = issue.path?.[0]?.key;
    const field = COMMENT_FIELDS.find((f) => f === key);
    if (field && !Object.hasOwn(errors, field)) errors[field] = field === "parent" ? { code: "invalid_parent" } : parseProblem(issue.message);
  }
  return errors;
}

/** Validates a submitted comment's fields (from a form or JSON). */
export function validateCommentInput(raw: Record<string, unknown>): { ok: true; input: CommentInput } | { ok: false; errors: FieldErrors } {
  const result = v.safeParse(commentInputSchema, raw);
  return result.success ? { ok: true, input: result.output } : { ok: false, errors: toFieldErrors(result.issues) };
}

/**
 * A commenter's address as the comment form takes it, for the "your data"
 * page, the CLI and the API: lower-cased (as comments are matched by it), or
 * the problem the form would name.
 */
export function parseCommenterEmail(value: unknown): { ok: true; email: string } | { ok: false; problem: FieldProblem } {
  const result = v.safeParse(emailField, value);
  if (result.success) return { ok: true, email: result.output.toLowerCase() };
  return { ok: false, problem: parseProblem(result.issues[0].message) };
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

const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The comment travels as UTF-8 bytes (see toQueueBody); a recorded or older message has it as a string. */
function decodeText(value: unknown): unknown {
  if (!(value instanceof Uint8Array)) return value;
  try {
    return strictUtf8.decode(value);
  } catch {
    return null;
  }
}

/** The queue message: the same field schemas as the input, inside the producer's envelope. */
const commentMessageSchema = v.object({
  v: v.literal(1, "unknown message version"),
  id: v.pipe(v.string(), v.regex(COMMENT_ID_PATTERN, "id is not a comment id")),
  articleId: v.pipe(v.number(), v.safeInteger(), v.minValue(1, "articleId is not a positive integer")),
  lang: v.picklist(LANGUAGES, "lang is not a supported language"),
  ipHash: v.nullable(v.string()),
  userAgent: v.nullable(v.string()),
  submittedAt: v.pipe(v.number(), v.safeInteger("submittedAt is not a time")),
  author: authorField,
  email: emailField,
  url: urlField,
  comment: v.pipe(v.unknown(), v.transform(decodeText), commentField),
  parentId: parentField,
  // Messages queued before the field existed have none: no mail.
  notify: v.optional(v.boolean("notify is not a boolean"), false),
});

/** Checks a queue message body; never trusts its shape. */
export function parseCommentMessage(body: unknown): { ok: true; message: CommentMessage } | { ok: false; error: string } {
  const result = v.safeParse(commentMessageSchema, body);
  if (result.success) return { ok: true, message: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return { ok: false, error: path ? `${path}: ${issue.message}` : issue.message };
}

/**
 * The body the queue carries (v8 serialization). v8 stores a string with any
 * character beyond Latin-1 at two bytes a character, so a 65,525-byte comment
 * could serialize to 131 KB, past the queue's 128 KB; as UTF-8 bytes it stays
 * 65,525 bytes. Worst case of the whole message: 65,525 (comment) + 490
 * (author, 245 characters at two bytes) + 200 (e-mail) + 200 (website, ASCII
 * once normalized) + 1,024 (user agent, 512 characters) + about 200 (ids,
 * hashes, numbers, keys) = under 68 KB, half the limit; WordPress's limits stay.
 */
export function toQueueBody(message: CommentMessage): Omit<CommentMessage, "comment"> & { comment: Uint8Array } {
  return { ...message, comment: utf8.encode(message.comment) };
}

/** The longest user agent a message keeps, in UTF-16 code units. */
export const MAX_USER_AGENT_LENGTH = 512;
