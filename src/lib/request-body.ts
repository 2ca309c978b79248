// Reads a form or JSON request body strictly: bounded size, valid UTF-8,
// valid percent-encoding, one value per field, nothing guessed.

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
  const fields: Record<string, unknown> = {};
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

async function parseMultipart(request: Request, bytes: Uint8Array, repeatable: readonly string[]): Promise<Record<string, unknown> | string> {
  let form: FormData;
  try {
    form = await new Request(request.url, { method: "POST", headers: request.headers, body: bytes }).formData();
  } catch {
    return "the multipart body could not be parsed";
  }
  const fields: Record<string, unknown> = {};
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
  const type = (request.headers.get("content-type") ?? "").toLowerCase();
  const mime = type.split(";")[0]?.trim() ?? "";
  const format: BodyFormat | null =
    mime === "application/json" ? "json" : mime === "application/x-www-form-urlencoded" || mime === "multipart/form-data" ? "form" : null;
  if (!format) {
    return { ok: false, status: 415, format: null, message: "Content-Type must be application/x-www-form-urlencoded, multipart/form-data or application/json" };
  }
  const charset = /charset=([^;]+)/.exec(type)?.[1]?.trim().replace(/"/g, "");
  if (charset && charset !== "utf-8" && charset !== "utf8") {
    return { ok: false, status: 415, format, message: `the body must be UTF-8, not ${charset}` };
  }
  const declared = Number(request.headers.get("content-length") ?? "0");
  if (declared > limit) return { ok: false, status: 413, format, message: `the body is larger than ${limit} bytes` };
  const bytes = await readBytes(request, limit);
  if (!bytes) return { ok: false, status: 413, format, message: `the body is larger than ${limit} bytes` };
  if (mime === "multipart/form-data") {
    const fields = await parseMultipart(request, bytes, repeatable);
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
