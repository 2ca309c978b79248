// IP hashes expire: the daily cron clears the IP hash and user agent of
// comments older than IP_HASH_RETENTION_DAYS and deletes the flood and rate
// records of that age; what is newer stays, so flood control, the rate limit
// and the disallowed-IP rule keep working within the window. Through the real
// scheduled handler and a real queue batch on the local D1.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireOldRecords } from "../../src/comments/cleanup";
import { toQueueBody } from "../../src/comments/message";
import { EXPIRE_CHUNK } from "../../src/comments/moderation-queries";
import { hashClientIp } from "../../src/comments/submit";
import { ConfigError, getRetentionSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import worker from "../../src/index";
import { DAILY_CRON } from "../../src/jobs";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";

const DAY_MS = 86_400_000;
const SALT = "test-ip-salt-0123456789abcdef";

async function insertAged(articleId: number, ageMs: number, client: { ipHash: string | null; userAgent: string | null }, now: number): Promise<string> {
  const id = crypto.randomUUID();
  await env.DB.prepare(
    "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, ip_hash, user_agent, created_at) VALUES (?, ?, 'A', 'a@example.com', 'x', '<p>x</p>', 'approved', ?, ?, ?)",
  )
    .bind(id, articleId, client.ipHash, client.userAgent, now - ageMs)
    .run();
  return id;
}

async function insertSubmission(articleId: number, ageMs: number, now: number): Promise<string> {
  const id = crypto.randomUUID();
  await env.DB.prepare("INSERT INTO comment_submissions (id, article_id, ip_hash, email_hash, fingerprint, created_at) VALUES (?, ?, 'ip', 'mail', ?, ?)")
    .bind(id, articleId, crypto.randomUUID(), now - ageMs)
    .run();
  return id;
}

const clientOf = (id: string) => env.DB.prepare("SELECT ip_hash, user_agent FROM comments WHERE id = ?").bind(id).first();
const submissionExists = async (id: string) => (await env.DB.prepare("SELECT 1 AS x FROM comment_submissions WHERE id = ?").bind(id).first("x")) === 1;

async function runDailyCron(vars: Record<string, string>, now: number): Promise<void> {
  const ctx = createExecutionContext();
  await worker.scheduled(createScheduledController({ scheduledTime: now, cron: DAILY_CRON }), { ...env, ...vars } as Env, ctx);
  await waitOnExecutionContext(ctx);
}

describe("the daily cron", () => {
  it("clears IP hash and user agent of comments past IP_HASH_RETENTION_DAYS (default 7) and their flood records; newer ones stay", async () => {
    const { id } = await insertArticle();
    const now = Date.now();
    const old = await insertAged(id, 8 * DAY_MS, { ipHash: "old-ip", userAgent: "Old/1.0" }, now);
    const oldAgentOnly = await insertAged(id, 30 * DAY_MS, { ipHash: null, userAgent: "Agent/2.0" }, now);
    const recent = await insertAged(id, 6 * DAY_MS, { ipHash: "recent-ip", userAgent: "Recent/1.0" }, now);
    const oldRecord = await insertSubmission(id, 8 * DAY_MS, now);
    const recentRecord = await insertSubmission(id, 6 * DAY_MS, now);
    await env.DB.prepare("INSERT INTO data_link_requests (email_hash, client_hash, created_at) VALUES ('e-old', 'c', ?), ('e-new', 'c', ?)")
      .bind(now - 2 * DAY_MS, now - 3_600_000)
      .run();

    await runDailyCron({}, now);
    expect(await clientOf(old)).toEqual({ ip_hash: null, user_agent: null });
    expect(await clientOf(oldAgentOnly)).toEqual({ ip_hash: null, user_agent: null });
    expect(await clientOf(recent)).toEqual({ ip_hash: "recent-ip", user_agent: "Recent/1.0" });
    expect(await submissionExists(oldRecord)).toBe(false);
    expect(await submissionExists(recentRecord)).toBe(true);
    const links = await env.DB.prepare("SELECT email_hash FROM data_link_requests WHERE email_hash IN ('e-old', 'e-new')").all();
    expect(links.results).toEqual([{ email_hash: "e-new" }]);
    // The text and everything else of the cleared comment stay.
    expect(await env.DB.prepare("SELECT status, body_raw FROM comments WHERE id = ?").bind(old).first()).toEqual({ status: "approved", body_raw: "x" });

    // A shorter window clears the rest.
    await runDailyCron({ IP_HASH_RETENTION_DAYS: "5" }, now);
    expect(await clientOf(recent)).toEqual({ ip_hash: null, user_agent: null });
    expect(await submissionExists(recentRecord)).toBe(false);
  });

  it("leaves the disallowed-IP rule working within the window: a new comment from a listed IP is spam and keeps its hash", async () => {
    const { id } = await insertArticle();
    const now = Date.now();
    const vars = { COMMENT_DISALLOWED_WORDS: "203.0.113.9" };
    await runDailyCron(vars, now);
    const m = commentMessage(id, { ipHash: await hashClientIp(SALT, "203.0.113.9"), submittedAt: now - 1000 });
    const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${m.id}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, ...vars } as Env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toEqual([`msg-${m.id}`]);
    const stored = await env.DB.prepare("SELECT status, reasons, ip_hash FROM comments WHERE id = ?").bind(m.id).first<Record<string, string>>();
    expect(stored?.status).toBe("spam");
    expect(stored?.reasons).toContain("disallowed_ip");
    await runDailyCron(vars, now + DAY_MS);
    expect(await clientOf(m.id)).toMatchObject({ ip_hash: m.ipHash });
    await runDailyCron(vars, now + 8 * DAY_MS);
    expect(await clientOf(m.id)).toMatchObject({ ip_hash: null });
  });

  it(`clears a backlog in chunks of ${EXPIRE_CHUNK}, within the statements a run may send, and the next run goes on`, async () => {
    const { id } = await insertArticle();
    const now = Date.now();
    const n = EXPIRE_CHUNK + 200;
    const statements = Array.from({ length: n }, () =>
      env.DB.prepare(
        "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, ip_hash, user_agent, created_at) VALUES (?, ?, 'A', 'a@example.com', 'x', '<p>x</p>', 'pending', 'ip', 'ua', ?)",
      ).bind(crypto.randomUUID(), id, now - 100 * DAY_MS),
    );
    for (let i = 0; i < n; i += 500) await env.DB.batch(statements.slice(i, i + 500));
    const holding = () =>
      env.DB.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ? AND (ip_hash IS NOT NULL OR user_agent IS NOT NULL)").bind(id).first("n");
    const cutoffs = { before: null, clientDataBefore: now - 7 * DAY_MS, linkRequestsBefore: now - DAY_MS };
    const first = await expireOldRecords(getDb(env.DB), cutoffs, 1);
    expect(first).toMatchObject({ clientData: EXPIRE_CHUNK, more: true });
    expect(await holding()).toBe(200);
    const second = await expireOldRecords(getDb(env.DB), cutoffs);
    expect(second.clientData).toBeGreaterThanOrEqual(200);
    expect(await holding()).toBe(0);
  });
});

describe("IP_HASH_RETENTION_DAYS", () => {
  it("defaults to 7 and takes 1 to 365 days", () => {
    expect(getRetentionSettings({}).ipHashDays).toBe(7);
    expect(getRetentionSettings({ IP_HASH_RETENTION_DAYS: " " }).ipHashDays).toBe(7);
    expect(getRetentionSettings({ IP_HASH_RETENTION_DAYS: "1" }).ipHashDays).toBe(1);
    expect(getRetentionSettings({ IP_HASH_RETENTION_DAYS: "365" }).ipHashDays).toBe(365);
  });

  it.each([
    ["0", "from 1"],
    ["-1", "from 1"],
    ["7.5", "from 1"],
    ["sieben", "from 1"],
    ["1e3", "from 1"],
    ["366", "at most 365 days"],
    ["999999", "at most 365 days"],
  ])("refuses %j naming the var and saying what it must be (%s)", (value, rule) => {
    let thrown: unknown;
    try {
      getRetentionSettings({ IP_HASH_RETENTION_DAYS: value });
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).variable).toBe("IP_HASH_RETENTION_DAYS");
    expect((thrown as ConfigError).message).toContain(rule);
    expect((thrown as ConfigError).message).toContain(`got "${value}"`);
  });
});
