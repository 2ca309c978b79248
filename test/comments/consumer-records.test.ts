// What the consumers leave when a comment cannot be stored: a record a
// moderator sees, with a short error text that holds no SQL parameters, and
// logs without them too. Real queue batches, real local D1.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import { retryFailedMessage } from "../../src/comments/service-queue";
import { getCommentSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import { MAX_ERROR_TEXT } from "../../src/db/error-text";
import worker from "../../src/index";
import { adminGet, api, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";

const QUEUE = "edge-blog-comments";
const DEAD_LETTER_QUEUE = `${QUEUE}-dlq`;

/** A message whose personal data is unique, so any leak of it is found. */
function privateMessage(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  const tag = crypto.randomUUID();
  return commentMessage(articleId, {
    email: `privat.${tag}@example.com`,
    ipHash: `iphash${tag.replace(/-/g, "")}`,
    comment: `Nur für die Moderation ${tag}`,
    ...extra,
  });
}

function expectNoPersonalData(text: string, m: CommentMessage): void {
  for (const secret of [m.email, m.ipHash ?? "", m.comment]) expect(text).not.toContain(secret);
  expect(text).not.toMatch(/Failed query|params:|insert into/i);
}

async function runBatch(queue: string, body: unknown, attempts = 1) {
  const id = `msg-${crypto.randomUUID()}`;
  const batch = createMessageBatch(queue, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env, ctx);
  return { recordId: `${queue}:${id}`, result: await getQueueResult(batch, ctx) };
}

const getRecord = (recordId: string) =>
  env.DB.prepare("SELECT error, body, resolved_at FROM failed_messages WHERE id = ?")
    .bind(recordId)
    .first<{ error: string; body: string; resolved_at: number | null }>();
const getComment = (id: string) => env.DB.prepare("SELECT id FROM comments WHERE id = ?").bind(id).first();

async function listRecordIdsForModerators(): Promise<string[]> {
  const res = await api("/failed-messages");
  expect(res.status).toBe(200);
  return (await res.json<{ failedMessages: { id: string }[] }>()).failedMessages.map((f) => f.id);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("a comment whose stored form exceeds what D1 takes", () => {
  // The sanitizer keeps a comment's HTML within ten times its text, so only a
  // message larger than the producer makes (the queue takes 128 KB, the local
  // one takes anything) still gives a row D1 refuses: here, by its user agent.
  it.each([QUEUE, DEAD_LETTER_QUEUE])(
    "ends on %s as a record a moderator sees, at once, without its parameters",
    async (queue) => {
      const { id } = await insertArticle();
      const m = privateMessage(id, { userAgent: "u".repeat(16_000_000) });
      const logged = vi.spyOn(console, "error");
      const { recordId, result } = await runBatch(queue, toQueueBody(m), queue === QUEUE ? 1 : 4);
      expect(result.retryMessages).toEqual([]);
      expect(result.explicitAcks).toHaveLength(1);
      expect(await getComment(m.id)).toBeNull();

      const record = await getRecord(recordId);
      expect(record?.resolved_at).toBeNull();
      expect(record?.error).toMatch(/^too large to store: .*SQLITE_TOOBIG/);
      expect(record?.error.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
      expectNoPersonalData(record?.error ?? "", m);
      // The oversized field is cut; who wrote what stays whole, and can be retried.
      const body = JSON.parse(record?.body ?? "null") as Record<string, unknown>;
      expect(String(record?.body).length).toBeLessThan(1_000_000);
      expect(body).toMatchObject({ id: m.id, email: m.email, comment: m.comment, ipHash: m.ipHash });
      expect(String(body.userAgent).length).toBeLessThan(70_000);
      expect(await listRecordIdsForModerators()).toContain(recordId);
      expectNoPersonalData(JSON.stringify(logged.mock.calls), m);
    },
    60_000,
  );
});

describe("failed inserts leave no personal data in logs or error texts", () => {
  it("logs, records and the admin's retry name D1's error, not drizzle's query and parameters", async () => {
    const { id } = await insertArticle();
    const m = privateMessage(id, { author: `Abgelehnt-${crypto.randomUUID()}` });
    // A real D1 failure for this message only: a trigger that aborts its insert.
    const trigger = `refuse_${m.id.replace(/-/g, "_")}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE INSERT ON comments WHEN NEW.author = '${m.author}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    ).run();
    try {
      const logged = vi.spyOn(console, "error");
      const first = await runBatch(QUEUE, toQueueBody(m));
      expect(first.result.retryMessages).toHaveLength(1);
      const log = JSON.stringify(logged.mock.calls);
      expect(log).toContain("refused by the test");
      expectNoPersonalData(log, m);

      const last = await runBatch(DEAD_LETTER_QUEUE, toQueueBody(m), 6);
      expect(last.result.explicitAcks).toHaveLength(1);
      const record = await getRecord(last.recordId);
      expect(record?.error).toBe("dead-lettered after its last retry: D1_ERROR: refused by the test: SQLITE_CONSTRAINT (extended: SQLITE_CONSTRAINT_TRIGGER)");
      expectNoPersonalData(JSON.stringify(logged.mock.calls), m);

      const retry = retryFailedMessage({ db: getDb(env.DB), purge: null, notices: null, now: Date.now() }, getCommentSettings(env), last.recordId);
      await expect(retry).rejects.toThrow(/^not stored: .*refused by the test/);
      const message = await retry.catch((err: Error) => err.message);
      expectNoPersonalData(String(message), m);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
  });
});

describe("the moderators are told when records expire", () => {
  it("the admin page says records older than COMMENT_EXPIRE_DAYS are deleted", async () => {
    const { id } = await insertArticle();
    await runBatch(DEAD_LETTER_QUEUE, { ...privateMessage(id), v: 2 });
    const html = await (await adminGet("/admin", await login())).text();
    expect(html).toContain("Was älter als 30 Tage ist, wird gelöscht, samt E-Mail-Adresse und Text.");
  });
});
