// The queue consumer's reliability and the daily clean-up, with real local D1 and real queue batches.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import worker from "../../src/index";
import { DAILY_CRON } from "../../src/jobs";
import { insertArticle } from "../helpers/articles";
import { commentMessage, insertComment } from "../helpers/comments";

const QUEUE = "edge-blog-comments";

function message(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return commentMessage(articleId, extra);
}

async function runBatch(body: unknown, vars: Partial<Env> = {}, ctx: ExecutionContext = createExecutionContext(), queue = QUEUE) {
  const batch = createMessageBatch(queue, [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body }]);
  await worker.queue(batch, { ...env, ...vars }, ctx);
  return getQueueResult(batch, ctx);
}

/** A real execution context (getQueueResult needs one) with a cache that records purges or fails them. */
function contextWithCache(purge: (tags: string[]) => Promise<void>): ExecutionContext {
  const ctx = createExecutionContext();
  const cache = {
    purge: async (o: { tags?: string[] }) => {
      await purge(o.tags ?? []);
      return { success: true, errors: [] };
    },
    invalidate: async () => ({ success: true, errors: [] }),
  };
  return Object.assign(ctx, { cache });
}

const getComment = (id: string) => env.DB.prepare("SELECT * FROM comments WHERE id = ?").bind(id).first<Record<string, unknown>>();
const failedFor = (id: string) =>
  env.DB.prepare("SELECT error FROM failed_messages WHERE body LIKE ?")
    .bind(`%${id}%`)
    .all<{ error: string }>()
    .then((r) => r.results);

describe("prototype names in a comment", () => {
  it.each(["<constructor x=1>hi</constructor>", "<CONSTRUCTOR>hi", "<__proto__ a=b>x", "<toString title=t>x"])(
    "stores %j as text on the first delivery",
    async (text) => {
      const { id } = await insertArticle();
      const m = message(id, { comment: text });
      const result = await runBatch(toQueueBody(m));
      expect(result.explicitAcks).toHaveLength(1);
      expect(result.retryMessages).toEqual([]);
      const row = await getComment(m.id);
      expect(row?.status).toBe("pending");
      expect(String(row?.body_html)).toContain("&lt;");
    },
  );
});

describe("a reply whose parent was deleted while it waited", () => {
  it("is stored at the top level, held, with the reason for the moderator", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "approved");
    const m = message(id, { parentId: parent });
    await env.DB.prepare("DELETE FROM comments WHERE id = ?").bind(parent).run();
    const result = await runBatch(toQueueBody(m), { COMMENT_MODERATION: "first_time" });
    expect(result.explicitAcks).toHaveLength(1);
    const row = await getComment(m.id);
    expect(row).toMatchObject({ parent_id: null, status: "pending" });
    expect(JSON.parse(String(row?.reasons))).toEqual([{ code: "parent_deleted", parentId: parent }]);
    expect(await failedFor(m.id)).toEqual([]);
  });
});

describe("effects after the insert happen at least once", () => {
  it("purges on redelivery when the first purge threw", async () => {
    const { id } = await insertArticle();
    const author = { author: "Stammgast", email: `gast.${crypto.randomUUID()}@example.com` };
    await env.DB.prepare(
      "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES (?, ?, ?, ?, 'x', 'x', 'approved', 1)",
    )
      .bind(crypto.randomUUID(), id, author.author, author.email)
      .run();
    const m = message(id, author);
    const broken = contextWithCache(() => Promise.reject(new Error("purge down")));
    const first = await runBatch(toQueueBody(m), { COMMENT_MODERATION: "first_time" }, broken);
    expect(first.retryMessages).toHaveLength(1);
    expect(await getComment(m.id)).toMatchObject({ status: "approved", effects_done_at: null });

    const purges: string[][] = [];
    const second = await runBatch(
      toQueueBody(m),
      { COMMENT_MODERATION: "first_time" },
      contextWithCache(async (tags) => void purges.push(tags)),
    );
    expect(second.explicitAcks).toHaveLength(1);
    expect(purges[0]).toEqual([`c:${id}`, "comments"]);
    expect((await getComment(m.id))?.effects_done_at).toEqual(expect.any(Number));

    const none: string[][] = [];
    await runBatch(
      toQueueBody(m),
      { COMMENT_MODERATION: "first_time" },
      contextWithCache(async (tags) => void none.push(tags)),
    );
    expect(none).toEqual([]);
  }, 20_000);

  it("notifies on redelivery when the first webhook call failed, and only then", async () => {
    const { id } = await insertArticle();
    const m = message(id);
    const first = await runBatch(toQueueBody(m), { MODERATION_WEBHOOK_URL: `${env.TEST_WEBHOOK_ORIGIN}/fail` });
    expect(first.retryMessages).toHaveLength(1);
    expect((await getComment(m.id))?.status).toBe("pending");
    const hook = `${env.TEST_WEBHOOK_ORIGIN}/notify/${crypto.randomUUID()}`;
    await runBatch(toQueueBody(m), { MODERATION_WEBHOOK_URL: hook });
    await runBatch(toQueueBody(m), { MODERATION_WEBHOOK_URL: hook });
    const received = await (await fetch(`${env.TEST_WEBHOOK_ORIGIN}/_received`)).json<{ url: string; body: string }[]>();
    expect(received.filter((r) => r.url === hook)).toHaveLength(1);
  });

  it("the dead-letter consumer acks a stored comment whose notice still fails, recording nothing", async () => {
    const { id } = await insertArticle();
    const m = message(id);
    const result = await runBatch(toQueueBody(m), { MODERATION_WEBHOOK_URL: `${env.TEST_WEBHOOK_ORIGIN}/fail` }, createExecutionContext(), `${QUEUE}-dlq`);
    expect(result.explicitAcks).toHaveLength(1);
    expect((await getComment(m.id))?.status).toBe("pending");
    expect(await failedFor(m.id)).toEqual([]);
  });
});

describe("the comment pipeline without admin configuration", () => {
  it("stores and acks comments, and runs the clean-up, with an ADMIN_TOKEN of 5 characters", async () => {
    const { id } = await insertArticle();
    const m = message(id);
    const result = await runBatch(toQueueBody(m), { ADMIN_TOKEN: "short", MODERATION_WEBHOOK_URL: "" });
    expect(result.explicitAcks).toHaveLength(1);
    expect((await getComment(m.id))?.status).toBe("pending");
    const spam = await insertComment(id, "spam");
    await env.DB.prepare("UPDATE comments SET decided_at = 1 WHERE id = ?").bind(spam).run();
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now(), cron: DAILY_CRON }),
      { ...env, ADMIN_TOKEN: "short" },
      createExecutionContext(),
    );
    expect(await getComment(spam)).toBeNull();
  });
});

describe("failed-message records expire", () => {
  it("deletes records resolved, or recorded and left open, more than COMMENT_EXPIRE_DAYS ago, and keeps younger ones", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const rows: [string, number, number | null][] = [
      [`old-resolved-${crypto.randomUUID()}`, now - 90 * day, now - 31 * day],
      [`young-resolved-${crypto.randomUUID()}`, now - 90 * day, now - 2 * day],
      [`old-open-${crypto.randomUUID()}`, now - 31 * day, null],
      [`young-open-${crypto.randomUUID()}`, now - 29 * day, null],
    ];
    for (const [rowId, created, resolved] of rows) {
      await env.DB.prepare(
        "INSERT INTO failed_messages (id, queue, body, error, attempts, created_at, resolved_at) VALUES (?, 'q', '{\"email\":\"a@example.com\"}', 'e', 1, ?, ?)",
      )
        .bind(rowId, created, resolved)
        .run();
    }
    const isKept = () => Promise.all(rows.map(([rowId]) => env.DB.prepare("SELECT id FROM failed_messages WHERE id = ?").bind(rowId).first()));
    // 0 keeps everything, as it keeps spam and trash.
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: DAILY_CRON }), { ...env, COMMENT_EXPIRE_DAYS: "0" }, createExecutionContext());
    expect((await isKept()).map((r) => r !== null)).toEqual([true, true, true, true]);
    await worker.scheduled(
      createScheduledController({ scheduledTime: now, cron: DAILY_CRON }),
      { ...env, COMMENT_EXPIRE_DAYS: "30" },
      createExecutionContext(),
    );
    expect((await isKept()).map((r) => r !== null)).toEqual([false, true, false, true]);
  });
});
