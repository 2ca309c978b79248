// The invocations `npm run bench:budget` measures, and the work each needs put
// back before every run (on the D1 host's database, from Node): reader routes,
// a comment POST, queue batches of 10, each cron job and each whole cron, and
// the admin desk.
import { serializeSigned } from "hono/utils/cookie";
import { formatSessionClaim, newSession, SESSION_COOKIE } from "../../src/admin/session";
import { createFormToken } from "../../src/comments/form-token";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import { DAILY_CRON, TEN_MINUTE_CRON } from "../../src/jobs";
import { BIG_THREAD_SLUG, insertRows, SCALE_TAG } from "./scale-seed";
import type { D1Client } from "./seed";

export interface BenchRequest {
  path: string;
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  /** The status the answer must have (200 when not given). */
  status?: number;
  /** Throws when the answer's body is not what the invocation should give. */
  check?: (text: string) => void;
}

export interface Invocation {
  name: string;
  /** Vars of the Worker beside wrangler.toml's. */
  vars?: Record<string, string>;
  /** Puts back the work a run consumes, before each run. */
  prepare?: (db: D1Client) => Promise<void>;
  /** The request of run `run` (0: the cold one). */
  request: (run: number) => BenchRequest | Promise<BenchRequest>;
}

/** Mail on for every invocation: the moderators' and the commenters' (Miniflare keeps the mail). */
const MAIL_VARS = { EMAIL_FROM: "blog@example.com", MODERATION_EMAIL: "moderators@example.com" };

const DAY = 86_400_000;
const PENDING = 2_000;
const DIGESTED = 150;
const EXPIRING_SPAM = 5_000;

/** What the seeded database holds for the invocations beyond bench/lib/scale-seed.ts. */
export interface Work {
  bigArticleId: number;
  pendingIds: string[];
  /** Comments whose commenters' mail each run puts back: ten each of confirm, approval and reply (with their parents). */
  mail: { confirm: string[]; approval: string[]; replies: string[]; parents: string[] };
}

const pendingId = (i: number) => `00000000-0000-4000-9000-${i.toString(16).padStart(12, "0")}`;
const inList = (ids: string[]) => ids.map((id) => `'${id}'`).join(", ");

async function run(db: D1Client, ...sql: string[]): Promise<void> {
  await db.batch(sql.map((s) => db.prepare(s)));
}

/**
 * Adds what the invocations read and work on: held comments, a week of
 * decisions for the desk's numbers, and the state after the commenters' mail
 * sweep closed the mail of replies nobody asked for (its first run after an
 * upgrade does that once, for every reply of the past).
 */
export async function seedWork(db: D1Client): Promise<Work> {
  const now = Date.now();
  const big = await db.prepare("SELECT id FROM articles WHERE slug = ?").bind(BIG_THREAD_SLUG).first<{ id: number }>();
  if (!big) throw new Error(`no article ${BIG_THREAD_SLUG}: seed the scale content first`);
  const articles = await db.prepare("SELECT id FROM articles WHERE kind = 'article' ORDER BY id LIMIT 100").all<{ id: number }>();
  const pendingIds = Array.from({ length: PENDING }, (_, i) => pendingId(i));
  await insertRows(
    db,
    "comments",
    ["id", "article_id", "author", "email", "body_raw", "body_html", "status", "reasons", "created_at"],
    pendingIds.map((id, i) => [
      id,
      articles.results[i % articles.results.length]?.id ?? big.id,
      `Neu ${i}`,
      `neu${i}@example.com`,
      "Ein wartender Kommentar.",
      "<p>Ein wartender Kommentar.</p>",
      "pending",
      "[]",
      now - (PENDING - i) * 60_000,
    ]),
  );
  await run(
    db,
    `UPDATE comments SET decided_at = ${now} - (abs(random()) % ${6 * DAY}) WHERE status = 'approved' AND rowid % 50 = 0`,
    "UPDATE comments SET reply_mail_at = created_at WHERE parent_id IS NOT NULL AND reply_mail_at IS NULL",
  );
  const replies = await db
    .prepare("SELECT id, parent_id AS parent FROM comments WHERE parent_id IS NOT NULL AND status = 'approved' ORDER BY id LIMIT 10")
    .all<{ id: string; parent: string }>();
  const approval = await db.prepare("SELECT id FROM comments WHERE parent_id IS NULL AND status = 'approved' ORDER BY id DESC LIMIT 10").all<{ id: string }>();
  return {
    bigArticleId: big.id,
    pendingIds,
    mail: {
      confirm: pendingIds.slice(0, 10),
      approval: approval.results.map((r) => r.id),
      replies: replies.results.map((r) => r.id),
      parents: replies.results.map((r) => r.parent),
    },
  };
}

/** Ten of each kind of commenters' mail due again. */
function putBackMail(work: Work) {
  return (db: D1Client) => {
    const now = Date.now();
    const { confirm, approval, replies, parents } = work.mail;
    const all = [...confirm, ...approval, ...replies];
    return run(
      db,
      `UPDATE comments SET notify_replies = 1, notify_confirmed_at = NULL, confirm_mail_at = NULL WHERE id IN (${inList(confirm)})`,
      `UPDATE comments SET notify_replies = 1, notify_confirmed_at = ${now - DAY}, confirm_mail_at = ${now - 2 * DAY}, approval_mail_at = NULL WHERE id IN (${inList(approval)})`,
      `UPDATE comments SET notify_replies = 1, notify_confirmed_at = ${now - DAY}, confirm_mail_at = ${now - 2 * DAY} WHERE id IN (${inList(parents)})`,
      `UPDATE comments SET reply_mail_at = NULL WHERE id IN (${inList(replies)})`,
      `DELETE FROM comment_mail_failures WHERE comment_id IN (${inList(all)})`,
    );
  };
}

/** 150 held comments waiting for the digest (it names 100 and counts the rest). */
function putBackDigest(work: Work) {
  return (db: D1Client) =>
    run(
      db,
      `UPDATE comments SET held_mail = 'digest', held_digest_run = NULL WHERE id IN (${inList(work.pendingIds.slice(-DIGESTED))})`,
      "DELETE FROM comment_mail_failures WHERE kind = 'digest'",
    );
}

/** 100 edge-cache tags left by failed purges. */
async function putBackPurges(db: D1Client): Promise<void> {
  await insertRows(
    db,
    "pending_purges",
    ["tag", "recorded_at"],
    Array.from({ length: 100 }, (_, i) => [`a:scale-${i}`, Date.now() - 60_000]),
  ).catch(() => {});
}

/** 5,000 spam comments and 1,000 submission records past their time. */
const putBackExpiring = (work: Work) => async (db: D1Client) => {
  const old = Date.now() - 40 * DAY;
  await run(db, "DELETE FROM comments WHERE id LIKE 'expiring-%'", "DELETE FROM comment_submissions WHERE id LIKE 'expiring-%'");
  await insertRows(
    db,
    "comments",
    ["id", "article_id", "author", "email", "body_raw", "body_html", "status", "reasons", "created_at", "decided_at"],
    Array.from({ length: EXPIRING_SPAM }, (_, i) => [`expiring-${i}`, work.bigArticleId, "Spam", "spam@example.com", "x", "<p>x</p>", "spam", "[]", old, old]),
  );
  await insertRows(
    db,
    "comment_submissions",
    ["id", "article_id", "ip_hash", "email_hash", "fingerprint", "created_at"],
    Array.from({ length: 1_000 }, (_, i) => [`expiring-${i}`, work.bigArticleId, "ip", `mail-${i}`, `expiring-${i}-${Date.now()}`, old]),
  );
};

const clearArchiveCounts = (db: D1Client) => run(db, "DELETE FROM archive_counts");
/** An empty held-mail window: each held comment of a batch is mailed on its own. */
const emptyHeldWindow = (db: D1Client) => run(db, "UPDATE comments SET held_mail_at = 0 WHERE held_mail = 'sent'");

const both =
  (...steps: ((db: D1Client) => Promise<void>)[]) =>
  async (db: D1Client) => {
    for (const step of steps) await step(db);
  };

let serial = 0;
/** A comment from someone not seen before (held), or from a commenter with approved comments (approved under first_time). */
function message(articleId: number, known: boolean, notify = false): CommentMessage {
  serial += 1;
  const n = serial % 97;
  return {
    v: 1,
    id: crypto.randomUUID(),
    articleId,
    lang: "de",
    ipHash: null,
    userAgent: "bench",
    submittedAt: Date.now() - 1000,
    author: known ? `Leserin ${n}` : `Neue Leserin ${serial}`,
    email: known ? `leserin${n}@example.com` : `neu-${serial}-${Date.now()}@example.com`,
    url: null,
    comment: `Kommentar ${serial} aus dem Bench: ein Gedanke, eine Frage.`,
    parentId: null,
    notify,
  };
}

type Kind = "held" | "approved" | "malformed" | "gone";
function queueRequest(work: Work, kinds: Kind[]): BenchRequest {
  const messages = kinds.map((kind) => {
    const id = `msg-${crypto.randomUUID()}`;
    if (kind === "malformed") return { id, attempts: 1, body: { v: 1, id: "not-a-comment" } };
    const m = message(kind === "gone" ? 999_999_999 : work.bigArticleId, kind === "approved", kind === "approved");
    // The queue carries the text as UTF-8 bytes: as JSON here, turned back into bytes by the fixture.
    const body = toQueueBody(m);
    return { id, attempts: 1, body: { ...body, comment: [...body.comment] }, bytes: ["comment"] };
  });
  return {
    path: "/__budget/queue",
    method: "POST",
    body: JSON.stringify({ queue: "edge-blog-comments", messages }),
    check: (text) => {
      const outcome = JSON.parse(text) as { acked: number; retried: number };
      if (outcome.acked !== kinds.length) throw new Error(`queue batch: ${outcome.acked} of ${kinds.length} acked, ${outcome.retried} retried`);
    },
  };
}

function cronRequest(cron: string, job?: string): BenchRequest {
  const query = new URLSearchParams({ cron, ...(job === undefined ? {} : { job }) });
  return {
    path: `/__budget/cron?${query}`,
    method: "POST",
    check: (text) => {
      const outcome = JSON.parse(text) as { ok: boolean; error?: string };
      if (!outcome.ok) throw new Error(`cron ${cron}${job ? ` job ${job}` : ""} failed: ${outcome.error}`);
    },
  };
}

/** A live admin session (as the login makes one) and its signed cookie. */
async function adminCookie(db: D1Client, token: string): Promise<string> {
  const now = Date.now();
  const session = newSession(now);
  await db.prepare("INSERT INTO admin_sessions (id, created_at, expires_at) VALUES (?, ?, ?)").bind(session.id, now, session.expiresAt).run();
  return (await serializeSigned(SESSION_COOKIE, formatSessionClaim(session), token)).split(";")[0] ?? "";
}

const page =
  (path: string): Invocation["request"] =>
  () => ({ path });

/** Every invocation, in order (the archive's kept counts are made by the cron job before the page reads them). */
export async function budgetScenarios(db: D1Client, secrets: { formSecret: string; adminToken: string }, work: Work): Promise<Invocation[]> {
  const cookie = await adminCookie(db, secrets.adminToken);
  const firstTime = { ...MAIL_VARS, COMMENT_MODERATION: "first_time" };
  const mailSweep = putBackMail(work);
  const digest = putBackDigest(work);
  const tenMinutes = both(digest, mailSweep, putBackPurges, clearArchiveCounts);
  return [
    { name: "GET / (home)", request: page("/") },
    { name: "GET article, 10,000 comments", request: page(`/articles/${BIG_THREAD_SLUG}`) },
    { name: "GET tag page", request: page(`/tags/${SCALE_TAG}`) },
    { name: "GET /tags", request: page("/tags") },
    { name: "GET /search?q=kleine", request: page("/search?q=kleine") },
    { name: "GET /feed.xml", request: page("/feed.xml") },
    { name: "GET /comments/feed.xml", request: page("/comments/feed.xml") },
    { name: "GET /sitemap.xml (index)", request: page("/sitemap.xml") },
    { name: "GET /sitemap-1.xml (1,000 URLs)", request: page("/sitemap-1.xml") },
    { name: "GET /archive, counts not kept", prepare: clearArchiveCounts, request: page("/archive") },
    { name: "cron */10: archive counts", prepare: clearArchiveCounts, request: () => cronRequest(TEN_MINUTE_CRON, "archive counts") },
    { name: "GET /archive, counts kept", request: page("/archive") },
    {
      name: "POST comment (accepted)",
      request: async (n) => ({
        path: `/articles/${BIG_THREAD_SLUG}/comments`,
        method: "POST",
        status: 202,
        headers: { "Content-Type": "application/json", "CF-Connecting-IP": `203.0.113.${(n % 250) + 1}` },
        body: JSON.stringify({
          author: "Bench",
          email: `bench-${n}-${Date.now()}@example.com`,
          comment: `Ein Kommentar aus dem Bench, Lauf ${n} (${Date.now()}).`,
          token: await createFormToken(secrets.formSecret, work.bigArticleId, Date.now() - 60_000),
        }),
      }),
    },
    { name: "queue: 10 held", vars: MAIL_VARS, prepare: emptyHeldWindow, request: () => queueRequest(work, Array(10).fill("held")) },
    { name: "queue: 10 approved (first_time)", vars: firstTime, request: () => queueRequest(work, Array(10).fill("approved")) },
    { name: "queue: 10 failing", vars: MAIL_VARS, request: () => queueRequest(work, [...Array(5).fill("malformed"), ...Array(5).fill("gone")]) },
    {
      name: "queue: 4 held, 3 approved, 3 failing",
      vars: firstTime,
      prepare: emptyHeldWindow,
      request: () => queueRequest(work, ["held", "approved", "malformed", "held", "approved", "gone", "held", "approved", "malformed", "held"]),
    },
    { name: "cron */10: held-comment digest", vars: MAIL_VARS, prepare: digest, request: () => cronRequest(TEN_MINUTE_CRON, "held-comment digest") },
    { name: "cron */10: commenters' mail (30 due)", vars: MAIL_VARS, prepare: mailSweep, request: () => cronRequest(TEN_MINUTE_CRON, "commenters' mail") },
    {
      name: "cron */10: purges left after a failure",
      prepare: putBackPurges,
      request: () => cronRequest(TEN_MINUTE_CRON, "edge-cache purges left after a failure"),
    },
    { name: "cron */10: all four jobs", vars: MAIL_VARS, prepare: tenMinutes, request: () => cronRequest(TEN_MINUTE_CRON) },
    { name: "cron daily: clean-up (5,000 spam)", prepare: putBackExpiring(work), request: () => cronRequest(DAILY_CRON) },
    { name: "GET /admin (desk, held)", request: () => ({ path: "/admin", headers: { Cookie: cookie } }) },
    { name: "GET /admin?status=all", request: () => ({ path: "/admin?status=all", headers: { Cookie: cookie } }) },
    {
      name: "GET /admin/api/comments?status=all",
      request: (n) => ({
        path: "/admin/api/comments?status=all",
        headers: { Authorization: `Bearer ${secrets.adminToken}`, "CF-Connecting-IP": `2001:db8:${(n + 1).toString(16)}::1` },
      }),
    },
  ];
}
