import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { submitComment } from "../../src/comments/submit";
import { getCommentSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";
import { oldToken, postForm, postJson, uniqueIp, validFields, waitForComment } from "../helpers/post-comment";

interface Case {
  name: string;
  contentType?: string;
  body?: BodyInit | null;
  headers?: Record<string, string>;
  status: number;
  message: RegExp;
}

/** A multipart body whose `field` holds the given raw bytes (the other fields are fine). */
function multipart(field: string, bytes: number[], boundary = "XyZ"): Uint8Array {
  const enc = new TextEncoder();
  return multipartOf(
    [
      ["email", enc.encode("erika@example.com")],
      [field, new Uint8Array(bytes)],
      ...(field === "comment" ? [] : [["comment", enc.encode("Text")] as [string, Uint8Array]]),
    ],
    boundary,
  );
}

/** A multipart/form-data body of the given parts, delimited by `boundary`. */
function multipartOf(parts: [string, Uint8Array][], boundary: string): Uint8Array {
  const enc = new TextEncoder();
  const part = ([name, value]: [string, Uint8Array]) => [
    enc.encode(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
    value,
    enc.encode("\r\n"),
  ];
  const chunks = [...parts.flatMap(part), enc.encode(`--${boundary}--\r\n`)];
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
    {
      name: "no content type",
      body: json(ok),
      status: 415,
      message: /Sende ein Formular \(application\/x-www-form-urlencoded oder multipart\/form-data\) oder JSON/,
    },
    { name: "text/plain", contentType: "text/plain", body: "hallo", status: 415, message: /Sende ein Formular/ },
    { name: "xml", contentType: "application/xml", body: "<c/>", status: 415, message: /Sende ein Formular/ },
    { name: "latin-1 charset", contentType: "application/json; charset=iso-8859-1", body: json(ok), status: 415, message: /must be UTF-8/ },
    { name: "body over 1 MiB (declared)", ...js(big), status: 413, message: /larger than/ },
    { name: "form body over 1 MiB", ...form(`comment=${big}`), status: 413, message: /größer als 1024 KB/ },
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
      message: /Das Gesendete ist kein gültiges UTF-8/,
    },
    { name: "bad percent-encoding", ...form("author=%E0%A4%A&email=a@b.example"), status: 400, message: /Feld „author“ ist nicht gültig kodiert/ },
    { name: "percent-encoded invalid UTF-8", ...form("author=%C3%28"), status: 400, message: /Feld „author“ ist nicht gültig kodiert/ },
    { name: "repeated field", ...form("author=a&author=b"), status: 400, message: /Feld „author“ wurde mehr als einmal gesendet/ },
    {
      name: "file in multipart",
      ...(() => {
        const f = new FormData();
        f.append("comment", new File(["x"], "x.txt"));
        return { body: f };
      })(),
      status: 400,
      message: /Feld „comment“ muss Text sein, keine Datei/,
    },
    ...["author", "url", "comment"].map((field) => ({
      name: `invalid UTF-8 in the multipart field ${field}`,
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart(field, [0x68, 0x69, 0xff, 0xfe]),
      status: 400,
      message: new RegExp(`Feld „${field}“ ist kein gültiges UTF-8`),
    })),
    {
      name: "overlong UTF-8 in multipart",
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart("author", [0xc0, 0xaf]),
      status: 400,
      message: /Feld „author“ ist kein gültiges UTF-8/,
    },
    {
      name: "lone surrogate bytes in multipart",
      contentType: "multipart/form-data; boundary=XyZ",
      body: multipart("author", [0xed, 0xa0, 0x80]),
      status: 400,
      message: /Feld „author“ ist kein gültiges UTF-8/,
    },
    {
      // The bytes "--\xff" in the field are a delimiter only for a reader that takes "xboundary=" for "boundary=".
      name: "a parameter ending in boundary= before the real one",
      contentType: 'multipart/form-data; xboundary="\u00ff"; boundary=XyZ',
      body: multipart("author", [0x68, 0x2d, 0x2d, 0xff, 0x69]),
      status: 400,
      message: /Feld „author“ ist kein gültiges UTF-8/,
    },
    {
      name: "invalid UTF-8 under a quoted boundary",
      contentType: 'multipart/form-data; boundary="Xy: Z=1"',
      body: multipart("url", [0x68, 0xff], "Xy: Z=1"),
      status: 400,
      message: /Feld „url“ ist kein gültiges UTF-8/,
    },
    {
      name: "invalid UTF-8 under an upper-case BOUNDARY",
      contentType: "multipart/form-data; BOUNDARY=XyZ",
      body: multipart("author", [0xc3, 0x28]),
      status: 400,
      message: /Feld „author“ ist kein gültiges UTF-8/,
    },
    {
      name: "two boundaries",
      contentType: "multipart/form-data; boundary=XyZ; boundary=Other",
      body: multipart("author", [0x68]),
      status: 400,
      message: /Kopfzeile „Content-Type“ ist fehlerhaft/,
    },
    { name: "no boundary", contentType: "multipart/form-data", body: multipart("author", [0x68]), status: 400, message: /fehlt eine gültige Grenze/ },
    {
      name: "a boundary RFC 2046 does not allow",
      contentType: 'multipart/form-data; boundary="Xy;Z"',
      body: multipart("author", [0x68], "Xy;Z"),
      status: 400,
      message: /fehlt eine gültige Grenze/,
    },
    {
      name: "an unclosed quote",
      contentType: 'multipart/form-data; boundary="XyZ',
      body: multipart("author", [0x68]),
      status: 400,
      message: /Kopfzeile „Content-Type“ ist fehlerhaft/,
    },
    {
      name: "two boundaries, asked in JSON",
      contentType: "application/json; charset=utf-8; charset=latin1",
      body: json(ok),
      status: 400,
      message: /the parameter \\?"charset\\?" is given more than once/,
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
      if (res.status !== c.status || !c.message.test(text)) outcomes.push(`${c.name}: ${res.status} ${text.replace(/^[\s\S]*<main[^>]*>/, "").slice(0, 300)}`);
    }
    expect(outcomes).toEqual([]);
  });

  it("speaks the page's language on a refused form (Accept-Language, else DEFAULT_LANG); JSON keeps its English detail", async () => {
    const { slug } = await insertArticle();
    const post = (headers: Record<string, string>, body: string) =>
      get(`/articles/${slug}/comments`, { method: "POST", headers: { "CF-Connecting-IP": uniqueIp(), ...headers }, body });
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    const german = await post(form, "author=a&author=b");
    expect(german.status).toBe(400);
    const germanHtml = await german.text();
    expect(germanHtml).toContain('<html lang="de">');
    expect(germanHtml).toContain("Das Feld „author“ wurde mehr als einmal gesendet.");
    expect(germanHtml).not.toContain("more than once");
    const english = await post({ ...form, "Accept-Language": "en-GB,en;q=0.9" }, "author=a&author=b");
    const englishHtml = await english.text();
    expect(englishHtml).toContain('<html lang="en">');
    expect(englishHtml).toContain("The field “author” was sent more than once.");
    const tooBig = await post({ ...form, "Accept-Language": "en" }, `comment=${"x".repeat(1024 * 1024 + 10)}`);
    expect([tooBig.status, await tooBig.text()]).toEqual([413, expect.stringContaining("What was sent is larger than 1024 KB.")]);
    const wrongType = await post({ "Content-Type": "text/plain" }, "hallo");
    expect([wrongType.status, await wrongType.text()]).toEqual([415, expect.stringContaining("Sende ein Formular")]);
    const json = await post({ "Content-Type": "application/json" }, "{nope");
    expect(await json.json()).toEqual({ error: "the body is not valid JSON" });
  });

  it("reads a quoted, escaped or upper-case boundary as the boundary and takes the comment", async () => {
    const { id, slug } = await insertArticle();
    const enc = new TextEncoder();
    for (const [header, boundary] of [
      ['multipart/form-data; BOUNDARY="Xy: Z=1"', "Xy: Z=1"],
      ['Multipart/Form-Data ; charset="UTF-8"; boundary="a\\b(c)"', "ab(c)"],
      ["multipart/form-data;boundary=----formdata-0123;x=1", "----formdata-0123"],
    ] as const) {
      const fields = { ...validFields(), token: await oldToken(id), comment: "Grüße aus Köln" };
      const body = multipartOf(
        Object.entries(fields).map(([name, value]) => [name, enc.encode(String(value))]),
        boundary,
      );
      const res = await get(`/articles/${slug}/comments`, { method: "POST", headers: { "Content-Type": header, "CF-Connecting-IP": uniqueIp() }, body });
      expect(res.status, `${header}: ${(await res.text()).slice(0, 300)}`).toBe(303);
    }
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
    const deps = { db: getDb(env.DB), queue: flakyQueue, settings: getCommentSettings(env), commenterMail: false, now: Date.now() };
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

/** Runs `work` while `table` is renamed away in this file's own D1, as if D1 failed every statement that reads it. */
async function withoutTable<T>(table: string, work: () => Promise<T>): Promise<T> {
  await env.DB.prepare(`ALTER TABLE ${table} RENAME TO ${table}_away`).run();
  try {
    return await work();
  } finally {
    await env.DB.prepare(`ALTER TABLE ${table}_away RENAME TO ${table}`).run();
  }
}

describe("when D1 fails while a comment is submitted", () => {
  it("answers a form post 503 with Retry-After and shows the form again with the reader's text; it is taken later", async () => {
    const { id, slug } = await insertArticle({ comments: "open" });
    const fields = validFields({ token: await oldToken(id), comment: "Mein langer Text <b>mit</b> Umlauten: äöü" });
    const ip = uniqueIp();
    const res = await withoutTable("comment_submissions", () => postForm(slug, fields, { "CF-Connecting-IP": ip }));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.headers.get("content-type")).toContain("text/html");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    const html = await res.text();
    expect(html).toContain("Mein langer Text &lt;b&gt;mit&lt;/b&gt; Umlauten: äöü</textarea>");
    expect(html).toContain(`value="${fields.email}"`);
    expect(html).toContain("konnte gerade nicht angenommen werden");
    const again = await postForm(slug, fields, { "CF-Connecting-IP": ip });
    expect(again.status).toBe(303);
  });

  it("answers a JSON post 503 in JSON with Retry-After", async () => {
    const { id, slug } = await insertArticle({ comments: "open" });
    const fields = validFields({ token: await oldToken(id) });
    const down = await withoutTable("comment_submissions", () => postJson(slug, fields));
    expect(down.status).toBe(503);
    expect(down.headers.get("content-type")).toContain("application/json");
    expect(Number(down.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await down.json()).toMatchObject({ code: "unavailable", error: expect.stringContaining("nicht angenommen") });
  });

  it("keeps the text even when the article itself cannot be read", async () => {
    const { id, slug } = await insertArticle({ comments: "open" });
    const fields = validFields({ token: await oldToken(id), comment: "Bitte nicht verlieren." });
    const res = await withoutTable("articles", () => postForm(slug, fields));
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await res.text();
    expect(html).toContain("Bitte nicht verlieren.</textarea>");
    expect(html).toContain(`action="/articles/${slug}/comments"`);
    // The token is the one the reader came with: sent again, it still counts from the first serving.
    expect(html).toContain(`name="token" value="${fields.token}"`);
    const json = await withoutTable("articles", () => postJson(slug, fields));
    expect(json.status).toBe(503);
    expect(await json.json()).toMatchObject({ code: "unavailable" });
  });
});
