import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { CommentMessage } from "../../src/comments/message";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";

function message(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return {
    v: 1,
    id: crypto.randomUUID(),
    articleId,
    lang: "de",
    ipHash: "a".repeat(64),
    userAgent: "test",
    submittedAt: Date.now() - 1000,
    author: "Erika",
    email: `erika.${Math.random().toString(36).slice(2)}@example.com`,
    url: null,
    comment: "Ein <b>Kommentar</b>.",
    parentId: null,
    ...extra,
  };
}

async function runBatch(queue: string, bodies: unknown[], attempts = 1, vars: Partial<Env> = {}) {
  const batch = createMessageBatch(
    queue,
    bodies.map((body, i) => ({ id: `msg-${i}-${crypto.randomUUID()}`, timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  // A fresh env object when vars change: settings are read once per env object.
  await worker.queue(batch, Object.keys(vars).length > 0 ? { ...env, ...vars } : env, ctx);
  return { batch, result: await getQueueResult(batch, ctx) };
}

async function getComment(id: string) {
  return env.DB.prepare("SELECT * FROM comments WHERE id = ?").bind(id).first<Record<string, unknown>>();
}

describe("the comment queue consumer", () => {
  it("stores each message as pending with sanitized HTML and acks it", async () => {
    const { id } = await insertArticle();
    const a = message(id);
    const b = message(id, { comment: "<script>x</script> https://example.com" });
    const { batch, result } = await runBatch("edge-blog-comments", [a, b]);
    expect(result.explicitAcks.sort()).toEqual(batch.messages.map((m) => m.id).sort());
    expect(result.retryMessages).toEqual([]);
    const rowA = await getComment(a.id);
    expect(rowA?.status).toBe("pending");
    expect(rowA?.body_html).toBe("<p>Ein <b>Kommentar</b>.</p>");
    expect(rowA?.reasons).toBe("[]");
    expect((await getComment(b.id))?.body_html).toBe(
      '<p>&lt;script&gt;x&lt;/script&gt; <a href="https://example.com/" rel="nofollow ugc noopener">https://example.com</a></p>',
    );
  });

  it("stores a redelivered message once", async () => {
    const { id } = await insertArticle();
    const m = message(id);
    await runBatch("edge-blog-comments", [m]);
    const { result } = await runBatch("edge-blog-comments", [m, m], 2);
    expect(result.explicitAcks.length).toBe(2);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE id = ?").bind(m.id).first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("records malformed messages for the moderators, acks them, and still stores the good ones", async () => {
    const { id } = await insertArticle();
    const good = message(id);
    const bad = [{ v: 2 }, "text", null, { ...message(id), email: "kaputt" }, { ...message(id), id: "nope" }, { ...message(id), articleId: -1 }];
    const { batch, result } = await runBatch("edge-blog-comments", [...bad, good]);
    expect(result.explicitAcks.length).toBe(batch.messages.length);
    expect((await getComment(good.id))?.status).toBe("pending");
    for (const msg of batch.messages.slice(0, bad.length)) {
      const failed = await env.DB.prepare("SELECT * FROM failed_messages WHERE id = ?").bind(`edge-blog-comments:${msg.id}`).first<Record<string, unknown>>();
      expect(failed?.error, msg.id).toMatch(/^malformed message: /);
      expect(failed?.resolved_at).toBeNull();
    }
  });

  it("records a comment whose article is gone instead of retrying forever", async () => {
    const m = message(987_654_321);
    const { batch, result } = await runBatch("edge-blog-comments", [m]);
    expect(result.explicitAcks).toEqual([batch.messages[0]?.id]);
    const failed = await env.DB.prepare("SELECT error FROM failed_messages WHERE id = ?")
      .bind(`edge-blog-comments:${batch.messages[0]?.id}`)
      .first<{ error: string }>();
    expect(failed?.error).toContain("no longer exists");
  });

  it("the dead-letter consumer stores what it can and records the rest", async () => {
    const { id } = await insertArticle();
    const good = message(id);
    const { batch, result } = await runBatch("edge-blog-comments-dlq", [good, { v: 1, id: "kaputt" }], 6);
    expect(result.explicitAcks.length).toBe(2);
    expect((await getComment(good.id))?.status).toBe("pending");
    const failed = await env.DB.prepare("SELECT queue, attempts FROM failed_messages WHERE id = ?")
      .bind(`edge-blog-comments-dlq:${batch.messages[1]?.id}`)
      .first<{ queue: string; attempts: number }>();
    expect(failed).toEqual({ queue: "edge-blog-comments-dlq", attempts: 6 });
  });

  it("retries a message when D1 fails, without touching the others, and stores it on redelivery", async () => {
    const { id } = await insertArticle();
    const author = `Ausfall-${crypto.randomUUID()}`;
    // A real D1 failure for one message only: a trigger that aborts its insert.
    const trigger = `fail_${author.replace(/-/g, "_").toLowerCase()}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON comments WHEN NEW.author = '${author}' BEGIN SELECT RAISE(ABORT, 'simulated outage'); END`,
    ).run();
    const failing = message(id, { author });
    const good = message(id);
    const { batch, result } = await runBatch("edge-blog-comments", [failing, good]);
    expect(result.explicitAcks).toEqual([batch.messages[1]?.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([batch.messages[0]?.id]);
    expect(result.retryBatch.retry).toBe(false);
    expect(await getComment(failing.id)).toBeNull();
    expect((await getComment(good.id))?.status).toBe("pending");

    await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    const again = await runBatch("edge-blog-comments", [failing], 2);
    expect(again.result.explicitAcks.length).toBe(1);
    expect((await getComment(failing.id))?.author).toBe(author);
  });
});

describe("moderation rules in the consumer", () => {
  it("marks comments with a disallowed word as spam, with the reason", async () => {
    const { id } = await insertArticle();
    const m = message(id, { comment: "Billige VIAGRA hier" });
    await runBatch("edge-blog-comments", [m], 1, { COMMENT_DISALLOWED_WORDS: "viagra\ncasino" });
    const row = await getComment(m.id);
    expect(row?.status).toBe("spam");
    expect(JSON.parse(String(row?.reasons))).toEqual([{ code: "disallowed_word", field: "comment", word: "viagra" }]);
  });

  it("holds comments with many links or moderation words with reasons", async () => {
    const { id } = await insertArticle();
    const m = message(id, { comment: 'Seht https://a.example und <a href="https://b.example">b</a>, Stichwort Kredit' });
    await runBatch("edge-blog-comments", [m], 1, { COMMENT_MODERATION_WORDS: "kredit" });
    const row = await getComment(m.id);
    expect(row?.status).toBe("pending");
    expect(JSON.parse(String(row?.reasons))).toEqual([
      { code: "moderation_word", field: "comment", word: "kredit" },
      { code: "too_many_links", count: 2, limit: 2 },
    ]);
  });

  it("lets a known author through in first_time mode, and nobody else", async () => {
    const { id } = await insertArticle();
    const email = `known.${Math.random().toString(36).slice(2)}@example.com`;
    const earlier = await insertComment(id, "approved");
    await env.DB.prepare("UPDATE comments SET author = 'Stammgast', email = ? WHERE id = ?").bind(email, earlier).run();
    const known = message(id, { author: "Stammgast", email: email.toUpperCase() });
    const stranger = message(id, { author: "Stammgast" });
    await runBatch("edge-blog-comments", [known, stranger], 1, { COMMENT_MODERATION: "first_time" });
    expect((await getComment(known.id))?.status).toBe("approved");
    expect((await getComment(stranger.id))?.status).toBe("pending");
  });
});

describe("disallowed IPs", () => {
  it("marks a comment from a disallowed IP as spam by comparing salted hashes", async () => {
    const { id } = await insertArticle();
    const { sha256Hex } = await import("../../src/lib/crypto");
    const m = message(id, { ipHash: await sha256Hex(`${env.IP_HASH_SALT}|ip|203.0.113.9`) });
    await runBatch("edge-blog-comments", [m], 1, { COMMENT_DISALLOWED_WORDS: "203.0.113.9" });
    const row = await getComment(m.id);
    expect(row?.status).toBe("spam");
    expect(JSON.parse(String(row?.reasons))).toEqual([{ code: "disallowed_ip" }]);
  });
});
