// Reads a form or JSON request body strictly: bounded size, valid UTF-8,
// valid percent-encoding, one value per field, nothing guessed. Kept by hand
// because Hono's parseBody reads without a size limit, decodes invalid UTF-8
// to U+FFFD and merges repeated fields; validBody() feeds the result to a
// Standard Schema (valibot) so handlers see only typed, checked input.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Env, MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { parseContentType } from "./content-type";
import { type FieldMessages, InvalidInputError } from "./errors";

export type BodyFormat = "form" | "json";

export type ParsedBody =
  | { ok: true; format: BodyFormat; fields: Record<string, unknown> }
  | { ok: false; status: 400 | 413 | 415; message: string; format: BodyFormat | null };

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

async function readBytes(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/** Adds a field, refusing repeats except for the names that may repeat (kept as arrays). */
function addField(fields: Record<string, unknown>, name: string, value: string, repeatable: readonly string[]): string | null {
  if (repeatable.includes(name)) {
    const list = fields[name];
    fields[name] = Array.isArray(list) ? [...list, value] : [value];
    return null;
  }
  if (Object.hasOwn(fields, name)) return `the form field "${name.slice(0, 40)}" was sent more than once`;
  fields[name] = value;
  return null;
}

function parseUrlEncoded(text: string, repeatable: readonly string[]): Record<string, unknown> | string {
  const fields: Record<string, unknown> = Object.create(null);
  for (const pair of text.split("&")) {
    if (pair === "") continue;
    const eq = pair.indexOf("=");
    const rawName = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? "" : pair.slice(eq + 1);
    let name: string;
    let value: string;
    try {
      name = decodeURIComponent(rawName.replace(/\+/g, " "));
      value = decodeURIComponent(rawValue.replace(/\+/g, " "));
    } catch {
      return `the form field "${rawName.slice(0, 40)}" is not valid percent-encoded UTF-8`;
    }
    const problem = addField(fields, name, value, repeatable);
    if (problem) return problem;
  }
  return fields;
}

/** Bytes as a string of the same length (one char per byte), to find boundaries without decoding. */
function toByteString(bytes: Uint8Array): string {
  let text = "";
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** RFC 2046's boundary: 1 to 70 of its characters, not ending in a space; then it needs no escaping in quotes. */
const BOUNDARY = /^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/;

/**
 * The multipart part whose bytes are not UTF-8, or null. FormData would turn
 * them into U+FFFD without a word, so each part is checked before decoding.
 */
function findNonUtf8Part(bytes: Uint8Array, boundary: string): string | null {
  for (const part of toByteString(bytes).split(`--${boundary}`)) {
    try {
      decoder.decode(Uint8Array.from(part, (ch) => ch.charCodeAt(0)));
    } catch {
      return /name="([^"]*)"/.exec(part)?.[1] ?? "";
    }
  }
  return null;
}

async function parseMultipart(request: Request, bytes: Uint8Array, boundary: string, repeatable: readonly string[]): Promise<Record<string, unknown> | string> {
  const bad = findNonUtf8Part(bytes, boundary);
  if (bad !== null) return `the form field "${bad.slice(0, 40)}" is not valid UTF-8`;
  let form: FormData;
  try {
    // FormData gets the boundary the bytes were checked with, written one way only: no second reading of the header.
    const headers = { "content-type": `multipart/form-data; boundary="${boundary}"` };
    form = await new Request(request.url, { method: "POST", headers, body: bytes }).formData();
  } catch {
    return "the multipart body could not be parsed";
  }
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") return `the form field "${name}" must be text, not a file`;
    const problem = addField(fields, name, value, repeatable);
    if (problem) return problem;
  }
  return fields;
}

/**
 * Parses a body: urlencoded or multipart form, or a JSON object. Form fields
 * may appear once, except those named in `repeatable` (checkbox lists), which
 * become arrays.
 */
export async function readRequestBody(request: Request, limit: number, repeatable: readonly string[] = []): Promise<ParsedBody> {
  const header = request.headers.get("content-type") ?? "";
  const contentType = header.trim() === "" ? null : parseContentType(header);
  if (contentType && "problem" in contentType) {
    return { ok: false, status: 400, format: null, message: `the Content-Type header cannot be read: ${contentType.problem}` };
  }
  const mime = contentType?.mime ?? "";
  const format: BodyFormat | null =
    mime === "application/json" ? "json" : mime === "application/x-www-form-urlencoded" || mime === "multipart/form-data" ? "form" : null;
  if (!contentType || !format) {
    return { ok: false, status: 415, format: null, message: "Content-Type must be application/x-www-form-urlencoded, multipart/form-data or application/json" };
  }
  const charset = contentType.params.get("charset")?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") {
    return { ok: false, status: 415, format, message: `the body must be UTF-8, not ${charset}` };
  }
  const boundary = contentType.params.get("boundary");
  if (mime === "multipart/form-data" && !(boundary && BOUNDARY.test(boundary))) {
    return { ok: false, status: 400, format, message: "multipart/form-data needs a boundary parameter of 1 to 70 characters (RFC 2046)" };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return { ok: false, status: 413, format, message: `the body is larger than ${limit} bytes` };
  const bytes = await readBytes(request, limit);
  if (!bytes) return { ok: false, status: 413, format, message: `the body is larger than ${limit} bytes` };
  if (boundary && mime === "multipart/form-data") {
    const fields = await parseMultipart(request, bytes, boundary, repeatable);
    return typeof fields === "string" ? { ok: false, status: 400, format, message: fields } : { ok: true, format, fields };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, status: 400, format, message: "the body is not valid UTF-8" };
  }
  if (format === "form") {
    const fields = parseUrlEncoded(text, repeatable);
    return typeof fields === "string" ? { ok: false, status: 400, format, message: fields } : { ok: true, format, fields };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, status: 400, format, message: "the body is not valid JSON" };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) {
    return { ok: false, status: 400, format, message: "the JSON body must be an object" };
  }
  return { ok: true, format, fields: json as Record<string, unknown> };
}

/** The fields a schema's issues point at, each with its first message. */
export function describeIssues(issues: readonly { message: string; path?: readonly unknown[] }[]): FieldMessages {
  const fields: FieldMessages = Object.create(null);
  for (const issue of issues) {
    const first = issue.path?.[0];
    const key = String(typeof first === "object" && first !== null && "key" in first ? first.key : (first ?? "body"));
    if (!Object.hasOwn(fields, key)) fields[key] = issue.message;
  }
  return fields;
}

export interface BodyOptions {
  /** Largest body in bytes. */
  limit: number;
  /** Form fields that may repeat (checkbox lists); they become arrays. */
  repeatable?: readonly string[];
  /** The formats this route takes (default both). */
  formats?: readonly BodyFormat[];
}

/** What c.req.valid("form") holds after validBody: the checked value and the format it came in. */
export type ValidBody<T> = T & { readonly [BODY_FORMAT]: BodyFormat };
export const BODY_FORMAT = Symbol("body format");

/**
 * Middleware: reads the body strictly (400/413/415 as HTTPException), checks it
 * against `schema` (InvalidInputError with fields, 422) and hands the typed
 * value to the handler as c.req.valid("form").
 */
export function validBody<S extends StandardSchemaV1, E extends Env = Env>(
  schema: S,
  options: BodyOptions,
): MiddlewareHandler<E, string, { in: { form: StandardSchemaV1.InferInput<S> }; out: { form: ValidBody<StandardSchemaV1.InferOutput<S>> } }> {
  return async (c, next) => {
    const body = await readRequestBody(c.req.raw, options.limit, options.repeatable);
    if (!body.ok) throw new HTTPException(body.status, { message: body.message });
    if (options.formats && !options.formats.includes(body.format))
      throw new HTTPException(415, { message: `send ${options.formats.map((f) => (f === "json" ? "application/json" : "a form")).join(" or ")}` });
    const result = await schema["~standard"].validate(body.fields);
    if (result.issues) throw new InvalidInputError(describeIssues(result.issues));
    c.req.addValidatedData("form", Object.assign(result.value as object, { [BODY_FORMAT]: body.format }));
    await next();
  };
}
