// A refused mail holds nothing else up: through Miniflare's send_email binding
// configured as Email Service on the Free plan (TEST_EMAIL_VERIFIED_ONLY only
// mails VERIFIED_ADDRESSES), each mail is tried on its own, a refusal is
// recorded and tried again after a growing pause, given up after
// MAIL_MAX_TRIES, and one cron job's failure never stops another.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAIL_FIRST_PAUSE_MS, MAIL_MAX_TRIES } from "../../src/comments/mail-failures";
import { toQueueBody } from "../../src/comments/message";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { countingD1 } from "../helpers/d1-counter";
import { MAIL_VARS, recordingMailer, type SentMail } from "../helpers/mail";

const DAY_MS = 86_400_000;
const STRANGER = "stranger@example.com";

/** Approved comments whose authors confirmed "notify me": their approval mails are due. */
async function insertSubscribed(articleId: number, emails: string[]): Promise<string[]> {
  const ids = emails.map(() => crypto.randomUUID());
  const now = Date.now();
  const insert = env.DB.prepare(
    `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at, notify_replies, notify_confirmed_at, reply_mail_at)
     VALUES (?, ?, 'Erika', ?, 'Text', '<p>Text</p>', 'approved', ?, 1, ?, ?)`,
  );
  await env.DB.batch(ids.map((id, i) => insert.bind(id, articleId, emails[i], now + i, now, now)));
  return ids;
}

async function insertWaitingForDigest(articleId: number, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  const insert = env.DB.prepare(
    `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at, held_mail, held_mail_at, approval_mail_at, reply_mail_at)
     VALUES (?, ?, 'Erika', 'erika@example.com', 'Text', '<p>Text</p>', 'pending', ?, 'digest', ?, ?, ?)`,
  );
  const now = Date.now();
  await env.DB.batch(ids.map((id) => insert.bind(id, articleId, now, now, now, now)));
  return ids;
}

function failure(commentId: string, kind: string) {
  return env.DB.prepare("SELECT tries, retry_at, last_error FROM comment_mail_failures WHERE comment_id = ? AND kind = ?")
    .bind(commentId, kind)
    .first<{ tries: number; retry_at: number | null; last_error: string }>();
}

function verifiedOnly(vars: Partial<Env> = {}) {
  const mailer = recordingMailer(env.TEST_EMAIL_VERIFIED_ONLY);
  const workerEnv = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, ...vars } as Env;
  const cron = (time: number) =>
    worker.scheduled(createScheduledController({ scheduledTime: time, cron: "*/10 * * * *" }), workerEnv, createExecutionContext());
  return { ...mailer, workerEnv, cron };
}

const to = (mails: SentMail[], address: string) => mails.filter((m) => m.to === address);

/** Sends whatever earlier tests left waiting or due, so a test counts only its own. */
async function sendWhatWaits() {
  const workerEnv = { ...env, ...MAIL_VARS, EMAIL: recordingMailer().binding } as Env;
  await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), workerEnv, createExecutionContext());
}

describe("a refused recipient", () => {
  it("holds up no other reader's mail, is tried again after a pause that grows, and is given up after the last try", async () => {
    const { id } = await insertArticle({ title: "Verifiziert" });
    const [first, stranger, last] = await insertSubscribed(id, ["verified-1@example.com", STRANGER, "verified-2@example.com"]);
    const w = verifiedOnly();
    const t0 = Date.now();
    await expect(w.cron(t0)).resolves.toBeUndefined();
    expect(to(w.sent, "verified-1@example.com").map((m) => m.subject)).toEqual(["Dein Kommentar ist freigegeben: Verifiziert"]);
    expect(to(w.sent, "verified-2@example.com")).toHaveLength(1);
    expect(to(w.refused, STRANGER)).toHaveLength(1);
    expect(await failure(stranger ?? "", "approval")).toEqual({
      tries: 1,
      retry_at: t0 + MAIL_FIRST_PAUSE_MS,
      last_error: expect.stringContaining("not allowed"),
    });
    for (const sent of [first, last]) expect(await failure(sent ?? "", "approval")).toBeNull();

    // Within the pause nothing is tried; after it, once per run, until the last try.
    await w.cron(t0 + MAIL_FIRST_PAUSE_MS - 1);
    expect(to(w.refused, STRANGER)).toHaveLength(1);
    for (let day = 1; day <= MAIL_MAX_TRIES + 2; day++) await w.cron(t0 + day * DAY_MS);
    expect(to(w.refused, STRANGER)).toHaveLength(MAIL_MAX_TRIES);
    expect(await failure(stranger ?? "", "approval")).toMatchObject({ tries: MAIL_MAX_TRIES, retry_at: null });
    const mailedAt = await env.DB.prepare("SELECT approval_mail_at FROM comments WHERE id = ?").bind(stranger).first("approval_mail_at");
    expect(mailedAt).toBeNull();
    // The others were mailed once, never again.
    expect(to(w.sent, "verified-1@example.com")).toHaveLength(1);
    expect(to(w.sent, "verified-2@example.com")).toHaveLength(1);
  });

  it("asked to confirm from the queue: the refusal is recorded, the message acked, the moderators still told", async () => {
    const { id } = await insertArticle();
    const w = verifiedOnly({ MODERATION_EMAIL: "moderators@example.com" });
    const m = commentMessage(id, { email: STRANGER, notify: true });
    const ctx = createExecutionContext();
    const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
    await worker.queue(batch, w.workerEnv, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks).toHaveLength(1);
    expect(result.retryMessages).toEqual([]);
    expect(to(w.refused, STRANGER)).toHaveLength(1);
    expect(await failure(m.id, "confirm")).toMatchObject({ tries: 1 });
    expect(to(w.sent, "moderators@example.com")).toHaveLength(1);
  });
});

describe("the cron's jobs", () => {
  it("a refused digest is recorded and retried, given up after the last try, and the commenters' mail goes out all the same", async () => {
    const { id } = await insertArticle({ title: "Digest" });
    await sendWhatWaits();
    const waiting = await insertWaitingForDigest(id, 3);
    const [reader] = await insertSubscribed(id, ["verified-1@example.com"]);
    const w = verifiedOnly({ MODERATION_EMAIL: "moderators@unverified.example" });
    const t0 = Date.now();
    await expect(w.cron(t0)).resolves.toBeUndefined();
    expect(to(w.refused, "moderators@unverified.example").map((m) => m.subject)).toEqual(["3 Kommentare warten"]);
    expect(to(w.sent, "verified-1@example.com")).toHaveLength(1);
    expect(await failure(reader ?? "", "approval")).toBeNull();
    for (const c of waiting) expect(await failure(c, "digest")).toMatchObject({ tries: 1, retry_at: t0 + MAIL_FIRST_PAUSE_MS });

    for (let day = 1; day <= MAIL_MAX_TRIES + 2; day++) await w.cron(t0 + day * DAY_MS);
    expect(to(w.refused, "moderators@unverified.example")).toHaveLength(MAIL_MAX_TRIES);
    for (const c of waiting) expect(await failure(c, "digest")).toMatchObject({ tries: MAIL_MAX_TRIES, retry_at: null });
    const states = await env.DB.prepare("SELECT DISTINCT held_mail FROM comments WHERE id IN (SELECT value FROM json_each(?))")
      .bind(JSON.stringify(waiting))
      .all();
    expect(states.results).toEqual([{ held_mail: "digest" }]);
    expect(to(w.sent, "verified-1@example.com")).toHaveLength(1);
  });

  it("with a flood waiting and every kind of commenters' mail due, one run stays within the Free plan's 50 queries", async () => {
    const { id } = await insertArticle();
    await sendWhatWaits();
    await insertWaitingForDigest(id, 250);
    const emails = (kind: string) => Array.from({ length: 15 }, (_, i) => `${kind}-${i}@example.com`);
    const parents = await insertSubscribed(id, emails("approval"));
    const now = Date.now();
    const statements = [
      ...emails("confirm").map((email) =>
        env.DB.prepare(
          `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at, notify_replies, approval_mail_at, reply_mail_at)
           VALUES (?, ?, 'Erika', ?, 'Text', '<p>Text</p>', 'pending', ?, 1, ?, ?)`,
        ).bind(crypto.randomUUID(), id, email, now, now, now),
      ),
      ...parents.map((parent) =>
        env.DB.prepare(
          `INSERT INTO comments (id, article_id, parent_id, author, email, body_raw, body_html, status, created_at, approval_mail_at)
           VALUES (?, ?, ?, 'Max', 'max@example.com', 'Antwort', '<p>Antwort</p>', 'approved', ?, ?)`,
        ).bind(crypto.randomUUID(), id, parent, now, now),
      ),
    ];
    await env.DB.batch(statements);
    const { db, count } = countingD1(env.DB);
    const mailer = recordingMailer();
    await worker.scheduled(
      createScheduledController({ scheduledTime: now, cron: "*/10 * * * *" }),
      {
        ...env,
        ...MAIL_VARS,
        DB: db,
        EMAIL: mailer.binding,
      } as Env,
      createExecutionContext(),
    );
    // The digest's two reads go in one batch: count them as two.
    const queries = count() + 1;
    console.log(`digest and commenters' mail with everything due: ${queries} D1 queries, ${mailer.sent.length} mails`);
    expect(queries).toBeLessThanOrEqual(50);
    expect(mailer.sent.filter((m) => m.to === "moderators@example.com")).toHaveLength(1);
    expect(mailer.sent).toHaveLength(31);
  });
});
