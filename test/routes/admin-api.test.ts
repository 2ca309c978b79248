import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { api, commentStatus } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";

interface ApiComment {
  id: string;
  status: string;
  email: string;
  comment: string;
  html: string;
  article: { slug: string };
  reasons: unknown[];
}

function patch(id: string, body: unknown, contentType = "application/json") {
  return api(`/comments/${id}`, { method: "PATCH", headers: { "Content-Type": contentType }, body: typeof body === "string" ? body : JSON.stringify(body) });
}

describe("GET /admin/api/comments", () => {
  it("lists by status and article, newest first, with a cursor for the next page", async () => {
    const { id, slug } = await insertArticle();
    const ids: string[] = [];
    for (let i = 0; i < 55; i++) {
      const cid = await insertComment(id, "spam", `Spam ${i}`);
      await env.DB.prepare("UPDATE comments SET created_at = ? WHERE id = ?")
        .bind(1_700_000_000_000 + i, cid)
        .run();
      ids.unshift(cid);
    }
    const first = await api(`/comments?status=spam&article=${slug}`);
    expect(first.status).toBe(200);
    const page1 = await first.json<{ comments: ApiComment[]; nextCursor: string | null; counts: Record<string, number> }>();
    expect(page1.comments.map((c) => c.id)).toEqual(ids.slice(0, 50));
    expect(page1.comments[0]?.email).toBe("erika@example.com");
    expect(page1.counts.spam).toBeGreaterThanOrEqual(55);
    const page2 = await (await api(`/comments?status=spam&article=${slug}&cursor=${page1.nextCursor}`)).json<{
      comments: ApiComment[];
      nextCursor: string | null;
    }>();
    expect(page2.comments.map((c) => c.id)).toEqual(ids.slice(50));
    expect(page2.nextCursor).toBeNull();
  });

  it("answers 422 for a bad status, article or cursor", async () => {
    for (const query of ["status=gone", "article=Nicht%20gültig", "cursor=%%%", "cursor=bm9wZQ"]) {
      const res = await api(`/comments?${query}`);
      expect(res.status, query).toBe(422);
      const body = await res.json<{ fields: Record<string, string> }>();
      expect(Object.keys(body.fields).length, query).toBe(1);
    }
  });

  it("checks every query parameter's class: prototype names, limits at and past the edge, status=all", async () => {
    for (const query of [
      "status=constructor",
      "status=__proto__",
      "status=toString",
      "status=hasOwnProperty",
      "limit=0",
      "limit=51",
      "limit=-1",
      "limit=1.5",
      "limit=abc",
    ]) {
      const res = await api(`/comments?${query}`);
      expect(res.status, query).toBe(422);
      const body = await res.json<{ fields: Record<string, string> }>();
      expect(Object.keys(body.fields), query).toEqual([query.split("=")[0]]);
    }
    const { id, slug } = await insertArticle();
    await insertComment(id, "spam");
    await insertComment(id, "approved");
    const all = await (await api(`/comments?status=all&article=${slug}&limit=1`)).json<{ comments: unknown[]; nextCursor: string | null }>();
    expect(all.comments).toHaveLength(1);
    expect(all.nextCursor).not.toBeNull();
    expect((await api(`/comments?article=${slug}&limit=50`)).status).toBe(200);
  });
});

describe("one comment through the API", () => {
  it("GET returns it, 404 for unknown ids", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "pending", "Hallo API");
    const res = await api(`/comments/${cid}`);
    expect(res.status).toBe(200);
    const body = await res.json<ApiComment>();
    expect(body).toMatchObject({ id: cid, status: "pending", comment: "Hallo API", html: "<p>Hallo API</p>" });
    expect((await api(`/comments/${crypto.randomUUID()}`)).status).toBe(404);
  });

  it("PATCH sets the status, and the public page follows", async () => {
    const { id, slug } = await insertArticle();
    const cid = await insertComment(id, "pending", "Per API freigegeben");
    const res = await patch(cid, { status: "approved" });
    expect(res.status).toBe(200);
    expect((await res.json<ApiComment>()).status).toBe("approved");
    expect(await (await get(`/articles/${slug}`)).text()).toContain("Per API freigegeben");
    await patch(cid, { status: "trash" });
    expect(await (await get(`/articles/${slug}`)).text()).not.toContain("Per API freigegeben");
  });

  it("PATCH edits the text and sanitizes it", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "approved", "alt");
    const res = await patch(cid, { comment: "neu <i>kursiv</i> <img src=x onerror=1>" });
    expect(res.status).toBe(200);
    expect((await res.json<ApiComment>()).html).toBe("<p>neu <i>kursiv</i> &lt;img src=x onerror=1&gt;</p>");
  });

  it("PATCH answers 422 for bad values, 400/415 for a bad body, 404 for unknown ids", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "pending");
    const cases: [unknown, number, string][] = [
      [{ status: "published" }, 422, "status"],
      [{ status: 1 }, 422, "status"],
      [{ comment: "" }, 422, "comment"],
      [{ comment: 5 }, 422, "comment"],
      [{ author: "x" }, 422, "author"],
      [{}, 422, "status"],
      ["{kaputt", 400, "JSON"],
      ["[1]", 400, "object"],
    ];
    for (const [body, status, mention] of cases) {
      const res = await patch(cid, body);
      expect(res.status, JSON.stringify(body)).toBe(status);
      expect(await res.text(), JSON.stringify(body)).toContain(mention);
    }
    expect((await patch(cid, "status=approved", "application/x-www-form-urlencoded")).status).toBe(415);
    expect((await patch(crypto.randomUUID(), { status: "approved" })).status).toBe(404);
    expect(await commentStatus(cid)).toBe("pending");
  });

  it("DELETE removes it for good, 404 afterwards", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "spam");
    expect((await api(`/comments/${cid}`, { method: "DELETE" })).status).toBe(204);
    expect(await commentStatus(cid)).toBeNull();
    expect((await api(`/comments/${cid}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("an unexpected failure", () => {
  it("answers the API in JSON (500), not with the site's HTML page", async () => {
    await env.DB.prepare("ALTER TABLE comments RENAME TO comments_away").run();
    try {
      const res = await api("/comments");
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toContain("application/json");
      expect(res.headers.get("cache-control")).toBe("private, no-store");
      expect(await res.json()).toEqual({ error: expect.stringContaining("try again") });
    } finally {
      await env.DB.prepare("ALTER TABLE comments_away RENAME TO comments").run();
    }
    expect((await api("/comments")).status).toBe(200);
  });
});

describe("the daily clean-up", () => {
  it("deletes spam and trash older than COMMENT_EXPIRE_DAYS and nothing else", async () => {
    const { id } = await insertArticle();
    const day = 86_400_000;
    const rows: [string, string, number][] = [
      ["spam", "old spam", Date.now() - 31 * day],
      ["trash", "old trash", Date.now() - 40 * day],
      ["spam", "young spam", Date.now() - 5 * day],
      ["approved", "old approved", Date.now() - 400 * day],
      ["pending", "old pending", Date.now() - 400 * day],
    ];
    const ids: string[] = [];
    for (const [status, text, decided] of rows) {
      const cid = await insertComment(id, status as "spam", text);
      await env.DB.prepare("UPDATE comments SET decided_at = ?, created_at = ? WHERE id = ?").bind(decided, decided, cid).run();
      ids.push(cid);
    }
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "17 3 * * *" }), env, createExecutionContext());
    expect(await Promise.all(ids.map(commentStatus))).toEqual([null, null, "spam", "approved", "pending"]);
  });
});

describe("the moderator webhook", () => {
  it("posts one notice per held comment, without e-mail, and none for a redelivery", async () => {
    const { createMessageBatch } = await import("cloudflare:test");
    const { id } = await insertArticle();
    const hook = `${env.TEST_WEBHOOK_ORIGIN}/notify/${crypto.randomUUID()}`;
    const message = {
      v: 1,
      id: crypto.randomUUID(),
      articleId: id,
      lang: "de",
      ipHash: null,
      userAgent: null,
      submittedAt: Date.now(),
      author: "Hook Tester",
      email: "hook.secret@example.com",
      url: null,
      comment: "Bitte prüfen",
      parentId: null,
    };
    const run = async (attempts: number) => {
      const batch = createMessageBatch("edge-blog-comments", [{ id: `m-${attempts}`, timestamp: new Date(), attempts, body: message }]);
      await worker.queue(batch, { ...env, MODERATION_WEBHOOK_URL: hook }, createExecutionContext());
    };
    await run(1);
    await run(2);
    const received = await (await fetch(`${env.TEST_WEBHOOK_ORIGIN}/_received`)).json<{ url: string; body: string }[]>();
    const mine = received.filter((r) => r.url === hook);
    expect(mine.length).toBe(1);
    const notice = JSON.parse(mine[0]?.body ?? "{}");
    expect(notice).toMatchObject({ event: "comment.held", comment: { id: message.id, author: "Hook Tester", excerpt: "Bitte prüfen" } });
    expect(notice.moderateUrl).toBe(`http://localhost:8787/admin/comments/${message.id}`);
    expect(mine[0]?.body).not.toContain("hook.secret");
  });

  it("stores the comment even when the webhook fails", async () => {
    const { createMessageBatch } = await import("cloudflare:test");
    const { id } = await insertArticle();
    const message = {
      v: 1,
      id: crypto.randomUUID(),
      articleId: id,
      lang: "de",
      ipHash: null,
      userAgent: null,
      submittedAt: Date.now(),
      author: "Hook",
      email: "h@example.com",
      url: null,
      comment: "Trotzdem gespeichert",
      parentId: null,
    };
    const batch = createMessageBatch("edge-blog-comments", [{ id: "m-fail", timestamp: new Date(), attempts: 1, body: message }]);
    await worker.queue(batch, { ...env, MODERATION_WEBHOOK_URL: `${env.TEST_WEBHOOK_ORIGIN}/fail` }, createExecutionContext());
    expect(await commentStatus(message.id)).toBe("pending");
  });
});
