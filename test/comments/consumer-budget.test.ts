// A full queue batch fits the Free plan's 50 D1 queries an invocation: the
// consumer reads for the whole batch in one round trip and writes in a few,
// whatever the batch holds (held, approved by a rule, failing), counted on
// the real local D1 through a wrapper that counts each statement run on its
// own and each batch once.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { countingD1 } from "../helpers/d1-counter";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";

const QUEUE = "edge-blog-comments";

async function runCounted(bodies: unknown[], vars: Partial<Env> = {}) {
  const { db, count } = countingD1(env.DB);
  const mailer = recordingMailer();
  const batch = createMessageBatch(
    QUEUE,
    bodies.map((body) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body })),
  );
  const ctx = createExecutionContext();
  await worker.queue(batch, { ...env, ...MAIL_VARS, ...vars, DB: db, EMAIL: mailer.binding } as Env, ctx);
  return { result: await getQueueResult(batch, ctx), queries: count(), mails: mailer.sent };
}

const row = (id: string) =>
  env.DB.prepare("SELECT status, held_mail, effects_done_at, confirm_mail_at, approval_mail_at FROM comments WHERE id = ?")
    .bind(id)
    .first<{ status: string; held_mail: string | null; effects_done_at: number | null; confirm_mail_at: number | null; approval_mail_at: number | null }>();

/** A reader with an approved comment: first_time lets their next one through. */
async function knownReader(articleId: number, n: number) {
  const who = { author: `Stammleserin ${n}`, email: `stamm.${n}.${crypto.randomUUID()}@example.com` };
  await env.DB.prepare(
    "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES (?, ?, ?, ?, 'x', '<p>x</p>', 'approved', 1)",
  )
    .bind(crypto.randomUUID(), articleId, who.author, who.email.toUpperCase())
    .run();
  return who;
}

// Earlier mails about held comments must not fill the window of ten.
beforeEach(async () => {
  await env.DB.prepare("UPDATE comments SET held_mail_at = 0 WHERE held_mail = 'sent'").run();
});

describe("a queue batch of 10 within the Free plan's 50 D1 queries", () => {
  it("10 held comments: all stored, the moderators told of each, in at most 6 queries", async () => {
    const { id } = await insertArticle();
    const messages = Array.from({ length: 10 }, () => commentMessage(id));
    const { result, queries, mails } = await runCounted(messages.map(toQueueBody));
    expect(result.explicitAcks).toHaveLength(10);
    expect(result.retryMessages).toEqual([]);
    expect(mails.filter((m) => m.to === "moderators@example.com")).toHaveLength(10);
    for (const m of messages) expect(await row(m.id)).toMatchObject({ status: "pending", held_mail: "sent", effects_done_at: expect.any(Number) });
    expect(queries).toBeLessThanOrEqual(6);
  });

  it("10 approved by first_time, each asking for mail: stored and asked to confirm, in at most 10 queries", async () => {
    const { id } = await insertArticle();
    const messages: CommentMessage[] = [];
    for (let i = 0; i < 10; i++) messages.push(commentMessage(id, { ...(await knownReader(id, i)), notify: true }));
    const { result, queries, mails } = await runCounted(messages.map(toQueueBody), { COMMENT_MODERATION: "first_time" });
    expect(result.explicitAcks).toHaveLength(10);
    expect(result.retryMessages).toEqual([]);
    for (const m of messages) {
      expect(await row(m.id)).toMatchObject({ status: "approved", confirm_mail_at: expect.any(Number), effects_done_at: expect.any(Number) });
    }
    expect(new Set(mails.map((m) => m.to))).toEqual(new Set(messages.map((m) => m.email)));
    expect(queries).toBeLessThanOrEqual(10);
  });

  it("first_time matches name and e-mail (any case) of an approved comment, per message of the batch", async () => {
    const { id } = await insertArticle();
    const known = await knownReader(id, 99);
    const same = commentMessage(id, known);
    const otherName = commentMessage(id, { ...known, author: `${known.author}x` });
    const stranger = commentMessage(id);
    const { result } = await runCounted([otherName, same, stranger].map(toQueueBody), { COMMENT_MODERATION: "first_time" });
    expect(result.explicitAcks).toHaveLength(3);
    expect((await row(same.id))?.status).toBe("approved");
    expect((await row(otherName.id))?.status).toBe("pending");
    expect((await row(stranger.id))?.status).toBe("pending");
  });

  it("10 failing (malformed, article gone, prototype names as ids): each recorded, in at most 3 queries", async () => {
    const { id } = await insertArticle();
    const malformed = [{ v: 2 }, null, "text", { ...commentMessage(id), id: "__proto__" }, { ...commentMessage(id), id: "constructor" }];
    const gone = Array.from({ length: 5 }, () => toQueueBody(commentMessage(987_654_321)));
    const { result, queries } = await runCounted([...malformed, ...gone]);
    expect(result.explicitAcks).toHaveLength(10);
    const records = await env.DB.prepare("SELECT error FROM failed_messages WHERE id IN (SELECT value FROM json_each(?)) ORDER BY error")
      .bind(JSON.stringify(result.explicitAcks.map((msgId) => `${QUEUE}:${msgId}`)))
      .all<{ error: string }>();
    expect(records.results.map((r) => r.error.replace(/:.*/s, ""))).toEqual([
      ...Array(5).fill("article 987654321 no longer exists"),
      ...Array(5).fill("malformed message"),
    ]);
    expect(queries).toBeLessThanOrEqual(3);
  });

  it("a mixed batch with a redelivery twice in it: each stored once, mailed once, in at most 12 queries", async () => {
    const { id } = await insertArticle();
    const before = commentMessage(id);
    await runCounted([toQueueBody(before)]);
    const held = Array.from({ length: 3 }, () => commentMessage(id));
    const approved = [commentMessage(id, await knownReader(id, 1)), commentMessage(id, await knownReader(id, 2))];
    const bodies = [before, before, ...held, ...approved].map(toQueueBody);
    const { result, queries, mails } = await runCounted([...bodies, { v: 9 }, toQueueBody(commentMessage(987_654_321)), "x"], {
      COMMENT_MODERATION: "first_time",
    });
    expect(result.explicitAcks).toHaveLength(10);
    expect(mails.filter((m) => m.to === "moderators@example.com")).toHaveLength(3);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE id = ?").bind(before.id).first<number>("n");
    expect(n).toBe(1);
    for (const m of approved) expect((await row(m.id))?.status).toBe("approved");
    expect(queries).toBeLessThanOrEqual(12);
  });

  it("a comment D1 refuses in the batch's insert fails alone: the others are stored, it is retried, in at most 15 queries", async () => {
    const { id } = await insertArticle();
    const author = `Verweigert-${crypto.randomUUID()}`;
    const trigger = `refuse_${author.replace(/-/g, "_").toLowerCase()}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON comments WHEN NEW.author = '${author}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    ).run();
    try {
      const refused = commentMessage(id, { author });
      const others = Array.from({ length: 9 }, () => commentMessage(id));
      const { result, queries } = await runCounted([refused, ...others].map(toQueueBody), { COMMENT_MODERATION: "first_time" });
      expect(result.explicitAcks).toHaveLength(9);
      expect(result.retryMessages).toHaveLength(1);
      expect(await row(refused.id)).toBeNull();
      for (const m of others) expect((await row(m.id))?.status).toBe("pending");
      // Lookups, the refused batch, each row on its own, the held mail's read and write, the record of effects.
      expect(queries).toBeLessThanOrEqual(15);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
  });
});
