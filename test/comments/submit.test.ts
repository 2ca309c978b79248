// Hostile and edge-case input at the comment endpoint and its domain function,
// on the real local D1 and the real queue binding.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { checkFormToken, createFormToken, reuseFormToken } from "../../src/comments/form-token";
import { COMMENT_LIMITS } from "../../src/comments/message";
import { submitComment } from "../../src/comments/submit";
import { getCommentSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import { insertArticle } from "../helpers/articles";
import { oldToken, postJson, validFields, waitForComment } from "../helpers/post-comment";

function submit(slug: string, fields: Record<string, unknown>, ip: string, overrides: Partial<ReturnType<typeof getCommentSettings>> = {}) {
  const settings = { ...getCommentSettings(env), ...overrides };
  return submitComment({ db: getDb(env.DB), queue: env.COMMENT_QUEUE, settings, commenterMail: false, now: Date.now() }, { slug, fields, ip, userAgent: null });
}

describe("JSON lone surrogates", () => {
  it.each(["author", "email", "url", "comment", "parent"])("refuses a lone surrogate in %s with 422 naming the field", async (field) => {
    const { id, slug } = await insertArticle();
    const body = JSON.stringify(validFields({ token: await oldToken(id) })).replace(/}$/, `,"${field}":"x\\ud800y"}`);
    const res = await postJson(slug, JSON.parse(body));
    expect(res.status).toBe(422);
    const answer = await res.json<{ fields: Record<string, string> }>();
    expect(Object.keys(answer.fields)).toEqual([field]);
  });
});

describe("every valid comment fits the queue", () => {
  const max = COMMENT_LIMITS.comment;
  const cases: [string, string][] = [
    ["ASCII plus one non-Latin-1 character", `${"a".repeat(max - 3)}€`],
    ["all CJK", "字".repeat(Math.floor(max / 3))],
    ["all emoji", "😀".repeat(Math.floor(max / 4))],
    ["all newlines but the ends", `a${"\n".repeat(max - 5)}€`],
  ];
  it.each(cases)("queues and stores a comment at the byte limit: %s", async (_, comment) => {
    expect(new TextEncoder().encode(comment).byteLength).toBeLessThanOrEqual(max);
    expect(new TextEncoder().encode(comment).byteLength).toBeGreaterThan(max - 4);
    const { id, slug } = await insertArticle();
    const author = "Ä€".repeat(Math.floor(COMMENT_LIMITS.author / 5));
    const res = await postJson(slug, validFields({ token: await oldToken(id), comment, author }), { "User-Agent": "€".repeat(600) });
    expect(res.status).toBe(202);
    const row = await waitForComment((await res.json<{ id: string }>()).id);
    expect(row.body_raw).toBe(comment.trim());
  });

  it("still refuses one byte past the limit", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id), comment: `${"a".repeat(max - 2)}€` }));
    expect(res.status).toBe(422);
  });
});

describe("COMMENT_MIN_SECONDS=0", () => {
  it("drops only the wait: the token's signature and article still count", async () => {
    const { id, slug } = await insertArticle();
    const other = await insertArticle();
    const fresh = await createFormToken(env.FORM_SECRET, id, Date.now());
    const refused: unknown[] = [undefined, "", "a.b.c", await createFormToken(env.FORM_SECRET, other.id, Date.now() - 60_000), `${fresh}x`];
    for (const [i, token] of refused.entries()) {
      const result = await submit(slug, validFields({ token }), `192.0.2.${i + 1}`, { minSeconds: 0 });
      expect(result, String(token)).toMatchObject({ kind: "rejected", status: 422, problem: "token_missing" });
    }
    expect((await submit(slug, validFields({ token: fresh }), "192.0.2.99", { minSeconds: 0 })).kind).toBe("accepted");
  });
});

describe("IPv6 is counted per /64", () => {
  it("lets 10 of 12 addresses of one /64 through a limit of 10", async () => {
    const { id, slug } = await insertArticle();
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:${Math.floor(Math.random() * 0xffff).toString(16)}`;
    const kinds: string[] = [];
    for (let i = 1; i <= 12; i++) {
      const result = await submit(slug, validFields({ token: await oldToken(id) }), `${prefix}::${i.toString(16)}`, { floodSeconds: 0, rateLimit: 10 });
      kinds.push(result.kind === "rejected" ? result.problem : result.kind);
    }
    expect(kinds).toEqual([...Array(10).fill("accepted"), "rate_limited", "rate_limited"]);
  });

  it("holds a second comment from another address of the same /64 for flooding", async () => {
    const { id, slug } = await insertArticle();
    const prefix = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:1`;
    expect((await submit(slug, validFields({ token: await oldToken(id) }), `${prefix}::1`)).kind).toBe("accepted");
    expect(await submit(slug, validFields({ token: await oldToken(id) }), `${prefix}:ffff:1:2:3`)).toMatchObject({ problem: "flood" });
  });
});

describe("invisible and bidi characters in names", () => {
  it.each(["\u200b", "\u200b\u200c\u200d", "\u00ad", "\ufeff", "\u2060 \u2063", "\u202e", "\u3164", "\u{e0041}"])(
    "refuses a name of only %j",
    async (author) => {
      const { id, slug } = await insertArticle();
      const res = await postJson(slug, validFields({ token: await oldToken(id), author }));
      expect(res.status).toBe(422);
      expect(Object.keys((await res.json<{ fields: object }>()).fields)).toEqual(["author"]);
    },
  );

  it("strips bidi controls from names and keeps the rest", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id), author: "\u202eEva\u2066 \u200fMüller\u202c" }));
    expect(res.status).toBe(202);
    expect((await waitForComment((await res.json<{ id: string }>()).id)).author).toBe("Eva Müller");
  });
});

describe("the form token's time", () => {
  it("counts the wait from the exact moment the form was served and says the true number", async () => {
    const served = 1_700_000_003_400;
    const token = await createFormToken(env.FORM_SECRET, 7, served);
    expect(await checkFormToken(env.FORM_SECRET, token, 7, served + 999, 3)).toEqual({ ok: false, reason: "too_fast", retryAfterSeconds: 3 });
    expect(await checkFormToken(env.FORM_SECRET, token, 7, served + 2_001, 3)).toEqual({ ok: false, reason: "too_fast", retryAfterSeconds: 1 });
    expect(await checkFormToken(env.FORM_SECRET, token, 7, served + 3_000, 3)).toEqual({ ok: true });
  });

  it("keeps a genuine submitted token for the form shown again, and replaces anything else", async () => {
    const now = Date.now();
    const token = await createFormToken(env.FORM_SECRET, 7, now - 1_000);
    expect(await reuseFormToken(env.FORM_SECRET, token, 7, now)).toBe(token);
    for (const bad of [undefined, "a.b.c", await createFormToken(env.FORM_SECRET, 8, now), `${token}x`]) {
      const replaced = await reuseFormToken(env.FORM_SECRET, bad, 7, now);
      expect(replaced).not.toBe(bad);
      expect(await checkFormToken(env.FORM_SECRET, replaced, 7, now, 0)).toEqual({ ok: true });
    }
  });
});
