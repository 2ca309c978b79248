import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { submitComment } from "../../src/comments/submit";
import { getCommentSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";
import { oldToken, uniqueIp, validFields, waitForComment } from "../helpers/post-comment";

interface Case {
  name: string;
  contentType?: string;
  body?: BodyInit | null;
  headers?: Record<string, string>;
  status: number;
  message: RegExp;
}

/** A multipart body whose `field` holds the given raw bytes (the other fields are fine). */
function multipart(field: string, bytes: number[]): Uint8Array {
  const enc = new TextEncoder();
  const part = (name: string, value: Uint8Array) => [enc.encode(`--XyZ\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`), value, enc.encode("\r\n")];
  const chunks = [
    ...part("email", enc.encode("erika@example.com")),
    ...part(field, new Uint8Array(bytes)),
    ...(field === "comment" ? [] : part("comment", enc.encode("Text"))),
    enc.encode("--XyZ--\r\n"),
  ];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function json(value: unknown): string {
  return JSON.stringify(value);
}

async function buildCases(token: string): Promise<Case[]> {
  const ok = { ...validFields(), token };
  const big = "x".repeat(1024 * 1024 + 10);
  const form = (s: string) => ({ contentType: "application/x-www-form-urlencoded", body: s });
  const js = (value: unknown) => ({ contentType: "application/json", body: typeof value === "string" ? value : json(value) });
  return [
    { name: "no content type", body: json(ok), status: 415, message: /Content-Type must be/ },
    { name: "text/plain", contentType: "text/plain", body: "hallo", status: 415, message: /Content-Type must be/ },
    { name: "xml", contentType: "application/xml", body: "<c/>", status: 415, message: /Content-Type must be/ },
    { name: "latin-1 charset", contentType: "application/json; charset=iso-8859-1", body: json(ok), status: 415, message: /must be UTF-8/ },
    { name: "body over 1 MiB (declared)", ...js(big), status: 413, message: /larger than/ },
    { name: "form body over 1 MiB", ...form(`comment=${big}`), status: 413, message: /larger than/ },
    { name: "invalid JSON", ...js("{nope"), status: 400, message: /not valid JSON/ },
    { name: "JSON array", ...js([ok]), status: 400, message: /must be an object/ },
    { name: "JSON string", ...js('"hallo"'), status: 400, message: /must be an object/ },
    { name: "JSON null", ...js("null"), status: 400, message: /must be an object/ },
    { name: "empty JSON body", ...js(""), status: 400, message: /not valid JSON/ },
    {
      name: "invalid UTF-8 in JSON",
      contentType: "application/json",
      body: new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]),
      status: 400,
      message: /not valid UTF-8/,
    },
    {
      name: "invalid UTF-8 in a form",
      contentType: "application/x-www-form-urlencoded",
      body: new Uint8Array([0x61, 0x3d, 0xc3, 0x28]),
      status: 400,
      message: /not valid UTF-8/,
    },
    { name: "bad percent-encoding", ...form("author=%E0%A4%A&email=a@b.example"), status: 400, message: /not valid percent-encoded/ },
    { name: "percent-encoded invalid UTF-8", ...form("author=%C3%28"), status: 400, message: /not valid percent-encoded/ },
    { name: "repeated field", ...form("author=a&author=b"), status: 400, message: /more than once/ },
    {
      name: "file in multipart",
      ...(() => {
        const f = new FormData();
        f.append("comment", new File(["x"], "x.txt"));
        return { body: f };
      })(),
      status: 400,
      message: /must be text, not a file/,
    },
    ...["author", "url", "comment"].map((field) => ({
      name: `invalid UTF-8 in the multipart field ${field}`,
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart(field, [0x68, 0x69, 0xff, 0xfe]),
      status: 400,
      message: new RegExp(`${field}(&quot;|") is not valid UTF-8`),
    })),
    {
      name: "overlong UTF-8 in multipart",
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart("author", [0xc0, 0xaf]),
      status: 400,
      message: /not valid UTF-8/,
    },
    {
      name: "lone surrogate bytes in multipart",
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart("author", [0xed, 0xa0, 0x80]),
      status: 400,
      message: /not valid UTF-8/,
    },
    { name: "empty form", ...form(""), status: 422, message: /author|Bitte ausfüllen/ },
    { name: "author a number", ...js({ ...ok, author: 5 }), status: 422, message: /Muss Text sein/ },
    { name: "author an object", ...js({ ...ok, author: { x: 1 } }), status: 422, message: /Muss Text sein/ },
    { name: "author an array", ...js({ ...ok, author: ["a"] }), status: 422, message: /Muss Text sein/ },
    { name: "email missing", ...js({ ...ok, email: undefined }), status: 422, message: /Bitte ausfüllen/ },
    { name: "email boolean", ...js({ ...ok, email: true }), status: 422, message: /Muss Text sein/ },
    { name: "email with spaces", ...js({ ...ok, email: "a b@example.com" }), status: 422, message: /keine gültige E-Mail/ },
    { name: "url number", ...js({ ...ok, url: 7 }), status: 422, message: /Muss Text sein/ },
    { name: "url data:", ...js({ ...ok, url: "data:text/html,x" }), status: 422, message: /http:\/\/ oder https:\/\// },
    { name: "comment null", ...js({ ...ok, comment: null }), status: 422, message: /Bitte ausfüllen/ },
    { name: "comment 65,526 bytes", ...js({ ...ok, comment: "a".repeat(65_526) }), status: 422, message: /höchstens 65525 Bytes/ },
    { name: "comment with NUL", ...js({ ...ok, comment: "a\u0000b" }), status: 422, message: /Steuerzeichen/ },
    { name: "author with newline", ...js({ ...ok, author: "a\nb" }), status: 422, message: /Steuerzeichen/ },
    { name: "parent a number", ...js({ ...ok, parent: 12 }), status: 422, message: /antworten/ },
    { name: "parent SQL", ...js({ ...ok, parent: "' OR 1=1 --" }), status: 422, message: /antworten/ },
    { name: "token a number", ...js({ ...ok, token: 1 }), status: 422, message: /unvollständig/ },
    { name: "token forged", ...js({ ...ok, token: "a.b.c" }), status: 422, message: /unvollständig/ },
  ];
}

describe("a malformed-input matrix", () => {
  it("answers every malformed request with a 4xx and a clear message, never a 5xx", async () => {
    const { id, slug } = await insertArticle();
    const cases = await buildCases(await oldToken(id));
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const outcomes: string[] = [];
    for (const c of cases) {
      const headers: Record<string, string> = { "CF-Connecting-IP": uniqueIp(), ...c.headers };
      if (c.contentType) headers["Content-Type"] = c.contentType;
      const res = await get(`/articles/${slug}/comments`, { method: "POST", headers, body: c.body ?? null });
      const text = await res.text();
      if (res.status !== c.status || !c.message.test(text)) outcomes.push(`${c.name}: ${res.status} ${text.slice(0, 160)}`);
    }
    expect(outcomes).toEqual([]);
  });

  it("answers other methods on the comment endpoint with 405", async () => {
    const { slug } = await insertArticle();
    for (const method of ["GET", "PUT", "DELETE"]) {
      const res = await get(`/articles/${slug}/comments`, { method });
      expect(res.status, method).toBe(405);
      expect(res.headers.get("allow")).toBe("POST");
    }
  });
});

describe("when the queue refuses a message", () => {
  it("answers 503 with Retry-After, keeps no trace, and accepts the same comment later", async () => {
    const { id, slug } = await insertArticle();
    const fields = validFields({ token: await oldToken(id) });
    // The real queue binding, failing its first send as Queues' send() can.
    let sends = 0;
    const flakyQueue = {
      send: (body: unknown, options?: QueueSendOptions) => {
        sends += 1;
        return sends === 1 ? Promise.reject(new Error("queue unavailable")) : env.COMMENT_QUEUE.send(body, options);
      },
      sendBatch: env.COMMENT_QUEUE.sendBatch.bind(env.COMMENT_QUEUE),
    } as Queue;
    const deps = { db: getDb(env.DB), queue: flakyQueue, settings: getCommentSettings(env), now: Date.now() };
    const req = { slug, fields, ip: uniqueIp(), userAgent: null };
    const first = await submitComment(deps, req);
    expect(first).toEqual({ kind: "rejected", status: 503, problem: "unavailable", retryAfter: 30 });
    const traces = await env.DB.prepare("SELECT count(*) AS n FROM comment_submissions WHERE article_id = ?").bind(id).first<{ n: number }>();
    expect(traces?.n).toBe(0);
    const second = await submitComment(deps, req);
    expect(second.kind).toBe("accepted");
    if (second.kind === "accepted") expect((await waitForComment(second.id)).status).toBe("pending");
  });
});
