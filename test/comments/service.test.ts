// One service function per action (src/comments/service.ts): the web form,
// the JSON API, the CLI (remote through the API, local on the D1 binding) and
// the consumer reach the same rows, the same purge tags and the same mails.
// And once the write has committed, a purge that fails is no 500: the action
// stands, and the next cron purges. Real D1, real queue batches, Miniflare's
// send_email binding; Workers Cache is a recording stand-in (Miniflare has none).
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import type { ModerationAction } from "../../src/comments/moderation";
import worker from "../../src/index";
import { localBackend } from "../../tools/comments/comments-local";
import { moderateRemotely } from "../../tools/comments/comments-remote";
import { ADMIN_TOKEN, freshClientIp, getCsrf, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { ORIGIN } from "../helpers/http";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";

let cookie = "";
let csrf = "";
beforeAll(async () => {
  cookie = await login();
  csrf = await getCsrf(cookie);
});
afterEach(() => vi.restoreAllMocks());

/** The Worker with mail on, its own env object, and an edge cache that records (or refuses) purges. */
function setup(vars: Partial<Env> = {}, refusePurge = false) {
  const mailer = recordingMailer();
  const workerEnv = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, ...vars } as Env;
  const purges: string[][] = [];
  const cache: CacheContext = {
    purge: async ({ tags = [] }) => {
      if (refusePurge) throw new Error("purge service unreachable");
      purges.push(tags);
      return { success: true, errors: [] };
    },
    invalidate: async () => ({ success: true, errors: [] }),
  };
  const ctx = () => Object.assign(createExecutionContext(), { cache });
  const send = (input: RequestInfo | URL, init?: RequestInit) => worker.fetch(new Request(input, { redirect: "manual", ...init }), workerEnv, ctx());
  const fetch = (path: string, init: RequestInit = {}) => send(`${ORIGIN}${path}`, init);
  const form = (path: string, fields: Record<string, string | string[]>) => {
    const body = new URLSearchParams();
    for (const [name, value] of Object.entries({ csrf, ...fields })) for (const v of [value].flat()) body.append(name, v);
    return fetch(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie }, body });
  };
  const api = (path: string, method: string, body?: unknown) =>
    fetch(`/admin/api${path}`, {
      method,
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "CF-Connecting-IP": freshClientIp() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const cron = () => worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), workerEnv, ctx());
  const queue = async (m: CommentMessage) => {
    const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${m.id}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
    const c = ctx();
    await worker.queue(batch, workerEnv, c);
    expect((await getQueueResult(batch, c)).explicitAcks).toHaveLength(1);
  };
  return { sent: mailer.sent, purges, send, fetch, form, api, cron, queue };
}
type World = ReturnType<typeof setup>;

const REPLY_TEXT = "Eine Antwort auf Erika.";

/**
 * An article; Erika's approved comment, whose author confirmed she wants mail
 * about replies; and Max's reply to it (`target`), with `status`, or not yet
 * stored (`status` null: the consumer stores it). Max had a comment approved
 * before, so first_time moderation lets him through.
 */
async function fixture(status: "pending" | "approved" | null) {
  const { id: articleId } = await insertArticle({ title: "Dienst" });
  const erika = `erika.${crypto.randomUUID()}@example.com`;
  const max = `max.${crypto.randomUUID()}@example.com`;
  const [parent, earlier, target] = [crypto.randomUUID(), crypto.randomUUID(), crypto.randomUUID()];
  const now = Date.now() - 60_000;
  const insert = env.DB.prepare(
    `INSERT INTO comments (id, article_id, parent_id, author, email, body_raw, body_html, status, created_at, decided_at,
       notify_replies, notify_confirmed_at, confirm_mail_at, approval_mail_at, reply_mail_at, effects_done_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rows = [
    insert.bind(parent, articleId, null, "Erika", erika, "Eine Frage.", "<p>Eine Frage.</p>", "approved", now, now, 1, now, now, now, now, now),
    insert.bind(earlier, articleId, null, "Max", max, "Früher.", "<p>Früher.</p>", "approved", now, now, 0, null, null, now, now, now),
  ];
  if (status) {
    const told = status === "approved" ? now : null;
    rows.push(insert.bind(target, articleId, parent, "Max", max, REPLY_TEXT, `<p>${REPLY_TEXT}</p>`, status, now + 1, told, 0, null, null, now, told, now));
  }
  await env.DB.batch(rows);
  return { articleId, parent, target, erika, max };
}
type Fixture = Awaited<ReturnType<typeof fixture>>;

/** What an action left: the reply's row, its parent's status, the tags purged, the mails (after the next cron). */
async function effectOf(f: Fixture, w: World, purged: string[] | undefined) {
  const sentBeforeCron = w.sent.length;
  await w.cron();
  const target = await env.DB.prepare(
    `SELECT status, decided_at IS NOT NULL AS decided, reply_mail_at IS NOT NULL AS reply_told, body_raw, body_html, by_editor, parent_id = ? AS threaded
     FROM comments WHERE id = ?`,
  )
    .bind(f.parent, f.target)
    .first();
  const parent = await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(f.parent).first<string>("status");
  const mails = w.sent.map((m) => ({ to: m.to === f.erika ? "Erika" : m.to === f.max ? "Max" : m.to, subject: m.subject }));
  return { target, parent, purged: (purged ?? []).map((t) => t.replace(`c:${f.articleId}`, "c:<article>")), mails, sentBeforeCron };
}

type Path = (w: World, f: Fixture, action: ModerationAction) => Promise<string[] | undefined>;

const expectStatus = async (res: Response, status: number) => expect(res.status, await res.clone().text()).toBe(status);
const statusOf = { approve: "approved", spam: "spam", trash: "trash" } as const;

const PATHS: Record<string, Path> = {
  "the web form": async (w, f, action) => {
    await expectStatus(await w.form(`/admin/comments/${f.target}/${action}?return=/admin`, {}), 303);
    return w.purges[0];
  },
  "the web bulk form": async (w, f, action) => {
    await expectStatus(await w.form("/admin/comments/bulk", { action, id: [f.target] }), 303);
    return w.purges[0];
  },
  "the JSON API's moderate": async (w, f, action) => {
    await expectStatus(await w.api("/comments/moderate", "POST", { action, ids: [f.target] }), 200);
    return w.purges[0];
  },
  "the JSON API's PATCH or DELETE": async (w, f, action) => {
    const res =
      action === "delete"
        ? await w.api(`/comments/${f.target}`, "DELETE")
        : await w.api(`/comments/${f.target}`, "PATCH", { status: statusOf[action as keyof typeof statusOf] });
    await expectStatus(res, action === "delete" ? 204 : 200);
    return w.purges[0];
  },
  "the CLI with --remote (the Worker's API)": async (w, f, action) => {
    const result = await moderateRemotely({ action, ids: [f.target] }, { siteUrl: ORIGIN, token: ADMIN_TOKEN }, w.send as typeof fetch);
    expect(result.purge).toBe("purged");
    return w.purges[0];
  },
  "the CLI locally (the service on the D1 binding; no edge cache, the cron mails)": async (_w, f, action) => {
    const result = await localBackend(env.DB, Date.now()).moderate(action, [f.target]);
    expect(result.purge).toBe("none");
    return result.tags;
  },
};

async function runPath(name: string, action: ModerationAction, initial: "pending" | "approved") {
  const w = setup();
  const f = await fixture(initial);
  return effectOf(f, w, await PATHS[name]?.(w, f, action));
}

describe("every path of a moderation has the same effect", () => {
  it("approve: the reply is published, its page purged, and the parent's author told once", async () => {
    const effects = new Map<string, Awaited<ReturnType<typeof effectOf>>>();
    for (const name of Object.keys(PATHS)) effects.set(name, await runPath(name, "approve", "pending"));
    // The consumer approves at once under first_time, Max being known.
    const w = setup({ COMMENT_MODERATION: "first_time" });
    const f = await fixture(null);
    await w.queue(commentMessage(f.articleId, { id: f.target, parentId: f.parent, author: "Max", email: f.max, comment: REPLY_TEXT, notify: false }));
    effects.set("the consumer (first_time)", await effectOf(f, w, w.purges[0]));

    const expected = {
      target: { status: "approved", decided: 1, reply_told: 1, body_raw: REPLY_TEXT, body_html: `<p>${REPLY_TEXT}</p>`, by_editor: 0, threaded: 1 },
      parent: "approved",
      purged: ["c:<article>", "comments"],
      mails: [{ to: "Erika", subject: "Neue Antwort auf deinen Kommentar: Dienst" }],
    };
    for (const [name, { sentBeforeCron, ...effect }] of effects) {
      expect(effect, name).toEqual(expected);
      // The Worker mails at once; the local CLI has no mail binding, and its approval is mailed by the cron.
      expect(sentBeforeCron, name).toBe(name.startsWith("the CLI locally") ? 0 : 1);
    }
  }, 30_000);

  it.each(["spam", "trash", "delete"] as const)(
    "%s: an approved reply leaves its page, which is purged; nobody is mailed",
    async (action) => {
      const effects = new Map<string, Awaited<ReturnType<typeof effectOf>>>();
      for (const name of Object.keys(PATHS)) effects.set(name, await runPath(name, action, "approved"));
      const target =
        action === "delete"
          ? null
          : { status: action, decided: 1, reply_told: 1, body_raw: REPLY_TEXT, body_html: `<p>${REPLY_TEXT}</p>`, by_editor: 0, threaded: 1 };
      for (const [name, effect] of effects) {
        expect(effect, name).toEqual({ target, parent: "approved", purged: ["c:<article>", "comments"], mails: [], sentBeforeCron: 0 });
      }
    },
    30_000,
  );

  it("edit: the web form and the API's PATCH store the same sanitized text and purge the same page", async () => {
    const text = "Korrigiert <b>fett</b> <script>alert(1)</script>";
    const effects = [];
    for (const edit of [
      (w: World, id: string) => w.form(`/admin/comments/${id}/edit`, { comment: text }),
      (w: World, id: string) => w.api(`/comments/${id}`, "PATCH", { comment: text }),
    ]) {
      const w = setup();
      const f = await fixture("approved");
      expect([303, 200]).toContain((await edit(w, f.target)).status);
      effects.push(await effectOf(f, w, w.purges[0]));
    }
    const html = "<p>Korrigiert <b>fett</b> &lt;script&gt;alert(1)&lt;/script&gt;</p>";
    for (const effect of effects) {
      expect(effect).toEqual({
        target: { status: "approved", decided: 1, reply_told: 1, body_raw: text, body_html: html, by_editor: 0, threaded: 1 },
        parent: "approved",
        purged: ["c:<article>", "comments"],
        mails: [],
        sentBeforeCron: 0,
      });
    }
  });

  it("reply: the editor's reply is published with its pending parent, the page purged, the parent's author told once", async () => {
    const w = setup();
    const f = await fixture("pending");
    const res = await w.form(`/admin/comments/${f.target}/reply`, { comment: "Danke, Max!" });
    expect(res.status).toBe(303);
    const reply = /\/admin\/comments\/([0-9a-f-]{36})/.exec(res.headers.get("location") ?? "")?.[1] ?? "";
    expect(w.purges[0]).toEqual([`c:${f.articleId}`, "comments"]);
    // Max asked for no mail; Erika hears of Max's reply, now approved with the editor's answer.
    expect(w.sent.map((m) => [m.to, m.subject])).toEqual([[f.erika, "Neue Antwort auf deinen Kommentar: Dienst"]]);
    await w.cron();
    expect(w.sent).toHaveLength(1);
    const row = await env.DB.prepare("SELECT status, by_editor, parent_id, body_html FROM comments WHERE id = ?").bind(reply).first();
    expect(row).toEqual({ status: "approved", by_editor: 1, parent_id: f.target, body_html: "<p>Danke, Max!</p>" });
    expect(await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(f.target).first("status")).toBe("approved");
  });
});

const pendingTags = (tags: string[]) =>
  env.DB.prepare("SELECT tag FROM pending_purges WHERE tag IN (SELECT value FROM json_each(?)) ORDER BY tag")
    .bind(JSON.stringify(tags))
    .all<{ tag: string }>()
    .then((r) => r.results.map((row) => row.tag));

describe("a purge that fails after the write committed", () => {
  it.each([
    ["the web form", (w: World, id: string) => w.form(`/admin/comments/${id}/approve?return=/admin`, {}), 303],
    ["the JSON API", (w: World, id: string) => w.api("/comments/moderate", "POST", { action: "approve", ids: [id] }), 200],
    ["the JSON API's PATCH", (w: World, id: string) => w.api(`/comments/${id}`, "PATCH", { status: "approved" }), 200],
  ] as const)("through %s: the approval stands, the answer is as usual, and the next cron purges", async (_name, approve, status) => {
    const broken = setup({}, true);
    const f = await fixture("pending");
    const logged = vi.spyOn(console, "error");
    const res = await approve(broken, f.target);
    expect(res.status).toBe(status);
    expect(await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(f.target).first("status")).toBe("approved");
    // Erika is told all the same: the mail follows the purge, whatever became of it.
    expect(broken.sent.map((m) => m.to)).toEqual([f.erika]);
    const tags = [`c:${f.articleId}`, "comments"];
    expect(await pendingTags(tags)).toEqual([...tags].sort());
    // One line, naming what failed, and nothing of the comment or its author.
    const lines = logged.mock.calls.map((call) => call.join(" "));
    expect(lines.filter((l) => l.includes("edge purge of 2 tag(s) failed after the write committed"))).toHaveLength(1);
    for (const secret of [f.erika, f.max, REPLY_TEXT]) expect(JSON.stringify(logged.mock.calls)).not.toContain(secret);

    const working = setup();
    await working.cron();
    expect(working.purges.flat()).toEqual(expect.arrayContaining(tags));
    expect(await pendingTags(tags)).toEqual([]);
  });

  it("the CLI with --remote hears that the Worker's cron purges, and a cron whose purge fails keeps the tags for the next", async () => {
    const f = await fixture("pending");
    const broken = setup({}, true);
    const result = await moderateRemotely({ action: "approve", ids: [f.target] }, { siteUrl: ORIGIN, token: ADMIN_TOKEN }, broken.send as typeof fetch);
    expect(result).toEqual({ changed: [f.target], tags: [`c:${f.articleId}`, "comments"], purge: "deferred" });
    await expect(broken.cron()).rejects.toThrow(/scheduled jobs failed/);
    expect(await pendingTags(result.tags)).toHaveLength(2);
    await setup().cron();
    expect(await pendingTags(result.tags)).toEqual([]);
  });
});

describe("mail that fails after the write committed", () => {
  it("never fails the approval; the cron sends it", async () => {
    const w = setup();
    const f = await fixture("pending");
    // A real D1 failure in the mail step only: marking Erika's reply mail as sent is refused once.
    const trigger = `refuse_mark_${f.target.replace(/-/g, "_")}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE OF reply_mail_at ON comments WHEN NEW.id = '${f.target}' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    ).run();
    const logged = vi.spyOn(console, "error");
    try {
      expect((await w.form(`/admin/comments/${f.target}/approve`, {})).status).toBe(303);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    expect(await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(f.target).first("status")).toBe("approved");
    expect(logged.mock.calls.map((c) => c.join(" ")).some((l) => l.includes("commenters' mail failed after the write committed"))).toBe(true);
    await w.cron();
    expect(await env.DB.prepare("SELECT reply_mail_at FROM comments WHERE id = ?").bind(f.target).first("reply_mail_at")).toEqual(expect.any(Number));
  });
});
