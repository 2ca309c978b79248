// Reads a form or JSON request body strictly: bounded size, valid UTF-8,
// valid percent-encoding, one value per field, nothing guessed. Kept by hand
// because Hono's parseBody reads without a size limit, decodes invalid UTF-8
// to U+FFFD and merges repeated fields; validBody() feeds the result to a
// Standard Schema (valibot) so handlers see only typed, checked input.
import type { StandardSchemaV1 } from "@standard-schema/spec";
import type { Env, MiddlewareHandler } from "hono";
import { BodyError, type BodyFormat, type BodyProblem } from "./body-problem";
import { parseContentType } from "./content-type";
import { type FieldMessages, InvalidInputError } from "./errors";

export type ParsedBody = { ok: true; format: BodyFormat; fields: Record<string, unknown> } | { ok: false; problem: BodyProblem; format: BodyFormat | null };

/** What a form parser found: the fields, or what is wrong with them. */
type ParsedFields = { ok: true; fields: Record<string, unknown> } | { ok: false; problem: BodyProblem };

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
function addField(fields: Record<string, unknown>, name: string, value: string, repeatable: readonly string[]): BodyProblem | null {
  if (repeatable.includes(name)) {
    const list = fields[name];
    fields[name] = Array.isArray(list) ? [...list, value] : [value];
    return null;
  }
  if (Object.hasOwn(fields, name)) return { code: "field_repeated", field: name };
  fields[name] = value;
  return null;
}

function parseUrlEncoded(text: string, repeatable: readonly string[]): ParsedFields {
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
      return { ok: false, problem: { code: "field_bad_encoding", field: rawName } };
    }
    const problem = addField(fields, name, value, repeatable);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, fields };
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

async function parseMultipart(request: Request, bytes: Uint8Array, boundary: string, repeatable: readonly string[]): Promise<ParsedFields> {
  const bad = findNonUtf8Part(bytes, boundary);
  if (bad !== null) return { ok: false, problem: { code: "field_not_utf8", field: bad } };
  let form: FormData;
  try {
    // FormData gets the boundary the bytes were checked with, written one way only: no second reading of the header.
    const headers = { "content-type": `multipart/form-data; boundary="${boundary}"` };
    form = await new Request(request.url, { method: "POST", headers, body: bytes }).formData();
  } catch {
    return { ok: false, problem: { code: "multipart_unparseable" } };
  }
  const fields: Record<string, unknown> = Object.create(null);
  for (const [name, value] of form.entries()) {
    if (typeof value !== "string") return { ok: false, problem: { code: "field_file", field: name } };
    const problem = addField(fields, name, value, repeatable);
    if (problem) return { ok: false, problem };
  }
  return { ok: true, fields };
}

/** The format a Content-Type names, or the problem with it. */
function readFormat(
  header: string,
  limit: number,
  declaredLength: number,
): { ok: true; format: BodyFormat; boundary: string | null } | { ok: false; problem: BodyProblem } {
  if (header.trim() === "") return { ok: false, problem: { code: "unsupported_type" } };
  const contentType = parseContentType(header);
  if ("problem" in contentType) return { ok: false, problem: { code: "unreadable_content_type", detail: contentType.problem } };
  const { mime, params } = contentType;
  const format: BodyFormat | null =
    mime === "application/json" ? "json" : mime === "application/x-www-form-urlencoded" || mime === "multipart/form-data" ? "form" : null;
  if (!format) return { ok: false, problem: { code: "unsupported_type" } };
  const charset = params.get("charset")?.toLowerCase();
  if (charset !== undefined && charset !== "utf-8" && charset !== "utf8") return { ok: false, problem: { code: "charset", charset } };
  const boundary = mime === "multipart/form-data" ? (params.get("boundary") ?? "") : null;
  if (boundary !== null && !BOUNDARY.test(boundary)) return { ok: false, problem: { code: "no_boundary" } };
  if (declaredLength > limit) return { ok: false, problem: { code: "too_large", limit } };
  return { ok: true, format, boundary };
}

/**
 * Parses a body: urlencoded or multipart form, or a JSON object. Form fields
 * may appear once, except those named in `repeatable` (checkbox lists), which
 * become arrays.
 */
export async function readRequestBody(request: Request, limit: number, repeatable: readonly string[] = []): Promise<ParsedBody> {
  const declared = Number(request.headers.get("content-length") ?? "0");
  const type = readFormat(request.headers.get("content-type") ?? "", limit, declared);
  if (!type.ok) return { ok: false, problem: type.problem, format: null };
  const { format, boundary } = type;
  const bytes = await readBytes(request, limit);
  if (!bytes) return { ok: false, problem: { code: "too_large", limit }, format };
  if (boundary !== null) {
    const parsed = await parseMultipart(request, bytes, boundary, repeatable);
    return parsed.ok ? { ok: true, format, fields: parsed.fields } : { ok: false, problem: parsed.problem, format };
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return { ok: false, problem: { code: "not_utf8" }, format };
  }
  if (format === "form") {
    const parsed = parseUrlEncoded(text, repeatable);
    return parsed.ok ? { ok: true, format, fields: parsed.fields } : { ok: false, problem: parsed.problem, format };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, problem: { code: "not_json" }, format };
  }
  if (typeof json !== "object" || json === null || Array.isArray(json)) return { ok: false, problem: { code: "json_not_object" }, format };
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
 * Middleware: reads the body strictly (400/413/415 as BodyError), checks it
 * against `schema` (InvalidInputError with fields, 422) and hands the typed
 * value to the handler as c.req.valid("form").
 */
export function validBody<S extends StandardSchemaV1, E extends Env = Env>(
  schema: S,
  options: BodyOptions,
): MiddlewareHandler<E, string, { in: { form: StandardSchemaV1.InferInput<S> }; out: { form: ValidBody<StandardSchemaV1.InferOutput<S>> } }> {
  return async (c, next) => {
    const body = await readRequestBody(c.req.raw, options.limit, options.repeatable);
    if (!body.ok) throw new BodyError(body.problem);
    if (options.formats && !options.formats.includes(body.format)) throw new BodyError({ code: "wrong_format", formats: options.formats });
    const result = await schema["~standard"].validate(body.fields);
    if (result.issues) throw new InvalidInputError(describeIssues(result.issues));
    c.req.addValidatedData("form", Object.assign(result.value as object, { [BODY_FORMAT]: body.format }));
    await next();
  };
}
