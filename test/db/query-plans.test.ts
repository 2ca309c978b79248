// Every query the background and the admin run finds its rows through an index:
// the real invocations (the desk and its lists, the admin API, both crons, a
// queue batch) run on the real local D1 with every statement recorded, and
// each statement, with its parameters, goes through EXPLAIN QUERY PLAN. A plan
// that scans a table of comments, articles or submissions reads every row of
// it, which grows with the blog; scanning a CTE, a VALUES list or a JSON
// list of ids is bounded by the statement itself. So is a scan of one of the
// partial indexes of open mail (migrations/0017): they hold only the mail that
// may still go out, which the sweep keeps so (closeUndeliverableMail), and the
// lists read them oldest first up to their limit.
import { createExecutionContext, createMessageBatch, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { toQueueBody } from "../../src/comments/message";
import worker from "../../src/index";
import { DAILY_CRON, TEN_MINUTE_CRON } from "../../src/jobs";
import { ADMIN_TOKEN, freshClientIp, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage, insertComment } from "../helpers/comments";
import { type Statement, type WatchedD1, watchD1 } from "../helpers/d1-watch";
import { ORIGIN } from "../helpers/http";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";

/** Tables that grow with the blog: no plan may scan them. */
const GROWING = [
  "comments",
  "articles",
  "comment_submissions",
  "article_tags",
  "failed_messages",
  "comment_mail_failures",
  "admin_token_failures",
  "search_index",
  "data_link_requests",
  "data_request_log",
];

/** Partial indexes whose every entry is open work (see above): scanning one reads no row that is not due. */
const OPEN_WORK = ["comments_confirm_due", "comments_approval_due", "comments_reply_due"];

async function planOf(statement: Statement): Promise<string[]> {
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
    .bind(...statement.params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail);
}

/** The names a statement gives each growing table (itself and its aliases). */
function namesOfGrowing(sql: string): Set<string> {
  const names = new Set(GROWING);
  for (const m of sql.matchAll(/"?(\w+)"?\s+(?:AS\s+)?"?(\w+)"?\s*(?=ON|JOIN|WHERE|,|\)|LEFT|INNER|INDEXED|$)/gi)) {
    if (GROWING.includes((m[1] ?? "").toLowerCase())) names.add((m[2] ?? "").toLowerCase());
  }
  return names;
}

/** Plan lines that scan a growing table. */
async function scansOf(statement: Statement): Promise<string[]> {
  const names = namesOfGrowing(statement.sql);
  return (await planOf(statement)).filter((line) => {
    const scan = /^SCAN (\w+)(?: USING (?:COVERING )?INDEX (\w+))?/.exec(line);
    const scanned = scan?.[1]?.toLowerCase();
    return scanned !== undefined && names.has(scanned) && !OPEN_WORK.includes(scan?.[2] ?? "");
  });
}

function recorded(watched: WatchedD1): Statement[] {
  return watched.executions.flatMap((e) => e.statements);
}

async function fetchAs(watched: WatchedD1, path: string, headers: Record<string, string>, vars: Record<string, unknown> = {}): Promise<number> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers, redirect: "manual" }), { ...env, ...vars, DB: watched.db } as Env, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return res.status;
}

/** Comments in every state, old spam and trash to expire, mail due of every kind, a held comment in the digest. */
async function seed(): Promise<{ slug: string }> {
  const { id, slug } = await insertArticle();
  const ids = [];
  for (const status of ["pending", "approved", "spam", "trash"] as const) ids.push(await insertComment(id, status));
  await env.DB.prepare("UPDATE comments SET decided_at = 1 WHERE status IN ('spam', 'trash') AND article_id = ?").bind(id).run();
  await env.DB.prepare("UPDATE comments SET decided_at = created_at + 5000 WHERE status = 'approved' AND article_id = ?").bind(id).run();
  const parent = ids[1] as string;
  await env.DB.prepare("UPDATE comments SET notify_replies = 1, notify_confirmed_at = 1, email = 'eltern@example.com' WHERE id = ?").bind(parent).run();
  await insertComment(id, "approved", "Eine Antwort.", parent);
  await env.DB.prepare("UPDATE comments SET held_mail = 'digest' WHERE id = ?").bind(ids[0]).run();
  await env.DB.prepare("INSERT INTO comment_submissions (id, article_id, ip_hash, email_hash, fingerprint, created_at) VALUES (?, ?, 'ip', 'mail', ?, 1)")
    .bind(crypto.randomUUID(), id, crypto.randomUUID())
    .run();
  await env.DB.prepare("INSERT INTO failed_messages (id, queue, body, error, attempts, created_at, resolved_at) VALUES (?, 'q', '{}', 'e', 1, 1, NULL)")
    .bind(`plans-${crypto.randomUUID()}`)
    .run();
  return { slug };
}

describe("no background or admin query scans a growing table", () => {
  it("the desk, its lists and the admin API", async () => {
    const { slug } = await seed();
    const cookie = await login();
    const watched = watchD1(env.DB);
    const pages = ["/admin", "/admin?status=all", "/admin?status=spam", `/admin?status=all&article=${slug}`, "/admin?status=approved"];
    for (const path of pages) expect(await fetchAs(watched, path, { Cookie: cookie }), path).toBe(200);
    // A second page of "all": the cursor from the first.
    const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}`, "CF-Connecting-IP": freshClientIp() };
    for (const path of ["/admin/api/comments?status=all", "/admin/api/comments?status=pending", "/admin/api/failed-messages"]) {
      await fetchAs(watched, path, bearer);
    }
    await expectNoScans(recorded(watched));
  });

  it("both crons, with every job having work", async () => {
    await seed();
    const watched = watchD1(env.DB);
    const mailer = recordingMailer();
    const vars = { ...env, ...MAIL_VARS, EMAIL: mailer.binding, DB: watched.db } as Env;
    for (const cron of [TEN_MINUTE_CRON, DAILY_CRON]) {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron }), vars, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(mailer.sent.length).toBeGreaterThan(0);
    await expectNoScans(recorded(watched));
  });

  it("a commenter's data requests: the link, the page, the export and the erasure, and the CLI's API", async () => {
    await seed();
    const { id } = await insertArticle();
    const email = "plans.daten@example.com";
    await insertComment(id, "approved");
    await env.DB.prepare("UPDATE comments SET email = ? WHERE article_id = ?").bind(email, id).run();
    const watched = watchD1(env.DB);
    const mailer = recordingMailer();
    const vars = { ...env, ...MAIL_VARS, EMAIL: mailer.binding, DB: watched.db } as Env;
    const send = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${ORIGIN}${path}`, init), vars, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const form = (body: Record<string, string>): RequestInit => ({
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": freshClientIp() },
      body: new URLSearchParams(body).toString(),
    });
    expect((await send("/my-data", form({ email }))).status).toBe(200);
    const link = /\/my-data\/open\?t=([\w-]+)/.exec(mailer.sent[0]?.text ?? "");
    const t = link?.[1] ?? "";
    expect(t).not.toBe("");
    expect((await send(`/my-data/open?t=${t}`, {})).status).toBe(200);
    expect((await send("/my-data/export", form({ t }))).status).toBe(200);
    const bearer = { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "CF-Connecting-IP": freshClientIp() };
    expect((await send("/admin/api/personal-data/export", { method: "POST", headers: bearer, body: JSON.stringify({ email }) })).status).toBe(200);
    expect((await send("/my-data/erase", form({ t }))).status).toBe(200);
    expect((await send("/admin/api/personal-data/erase", { method: "POST", headers: bearer, body: JSON.stringify({ email }) })).status).toBe(200);
    await expectNoScans(recorded(watched));
  });

  it("a queue batch of held comments, with mail to the moderators and to commenters", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "approved");
    const messages = [commentMessage(id), commentMessage(id, { parentId: parent, notify: true }), commentMessage(id, { notify: true })];
    const watched = watchD1(env.DB);
    const mailer = recordingMailer();
    const batch = createMessageBatch(
      "edge-blog-comments",
      messages.map((m) => ({ id: `msg-${m.id}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, { ...env, ...MAIL_VARS, EMAIL: mailer.binding, DB: watched.db } as Env, ctx);
    await waitOnExecutionContext(ctx);
    expect(mailer.sent.length).toBeGreaterThan(0);
    await expectNoScans(recorded(watched));
  });
});

async function expectNoScans(statements: Statement[]): Promise<void> {
  expect(statements.length).toBeGreaterThan(0);
  const found: string[] = [];
  const seen = new Set<string>();
  for (const statement of statements) {
    if (seen.has(statement.sql)) continue;
    seen.add(statement.sql);
    for (const line of await scansOf(statement)) found.push(`${line}  <-  ${statement.sql.replace(/\s+/g, " ").slice(0, 200)}`);
  }
  expect(found).toEqual([]);
}
