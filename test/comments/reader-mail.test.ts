// Commenters who tick "notify me" first get one confirmation mail and nothing
// else until they confirm (double opt-in, a button behind the link); then one
// mail when their comment is approved and one per approved reply, each with a
// signed unsubscribe link that expires. Nothing for a comment never approved.
// Through real message batches, the real admin API and Miniflare's
// send_email binding.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildMailLink, MAIL_LINK_DAYS } from "../../src/comments/mail-links";
import { type CommentMessage, parseCommentMessage, toQueueBody, validateCommentInput } from "../../src/comments/message";
import worker from "../../src/index";
import { signHmac } from "../../src/lib/crypto";
import { ADMIN_TOKEN, freshClientIp } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { findMailLink, MAIL_VARS, recordingMailer, type SentMail } from "../helpers/mail";

function message(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return commentMessage(articleId, { author: "Erika Muster", notify: true, ...extra });
}

const DAY_MS = 86_400_000;
const SECRET = "test-form-secret-0123456789abcdef";

/** The Worker with mail on, sending through the recording wrapper around the real binding. */
function setup(extra: Partial<Env> = {}) {
  const mailer = recordingMailer();
  const workerEnv = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, ...extra } as Env;
  const fetch = (path: string, init: RequestInit = {}) =>
    worker.fetch(new Request(`https://blog.test${path}`, { redirect: "manual", ...init }), workerEnv, createExecutionContext());
  const w = {
    sent: mailer.sent,
    async deliver(m: CommentMessage) {
      const ctx = createExecutionContext();
      const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
      await worker.queue(batch, workerEnv, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    },
    /** Delivers the comment and follows its confirmation mail's link: GET shows the button, POST confirms. */
    async subscribe(m: CommentMessage) {
      await w.deliver(m);
      const link = pathOf(findMailLink(to(w.sent, m.email).at(-1), "/comments/confirm"));
      expect(link).toContain(`c=${m.id}`);
      expect((await fetch(link)).status).toBe(200);
      expect((await fetch(link, { method: "POST" })).status).toBe(200);
    },
    async moderate(action: string, ids: string[]) {
      const res = await fetch("/admin/api/comments/moderate", {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "CF-Connecting-IP": freshClientIp() },
        body: JSON.stringify({ action, ids }),
      });
      expect(res.status).toBe(200);
    },
    fetch,
    cron: (time = Date.now()) =>
      worker.scheduled(createScheduledController({ scheduledTime: time, cron: "*/10 * * * *" }), workerEnv, createExecutionContext()),
  };
  return w;
}

const to = (sent: SentMail[], address: string) => sent.filter((m) => m.to === address);
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");
const confirmedAt = (id: string) =>
  env.DB.prepare("SELECT notify_confirmed_at FROM comments WHERE id = ?").bind(id).first<number | null>("notify_confirmed_at");
const notifyOn = (id: string) => env.DB.prepare("SELECT notify_replies FROM comments WHERE id = ?").bind(id).first<number>("notify_replies");

describe("the checkbox", () => {
  it("is off unless the form sends yes (or JSON true), and an old queued message without it means no", () => {
    const base = { author: "A", email: "a@example.com", comment: "x" };
    const read = (notify: unknown) => {
      const r = validateCommentInput({ ...base, notify });
      return r.ok && r.input.notify;
    };
    const absent = validateCommentInput(base);
    expect(absent.ok && absent.input.notify).toBe(false);
    expect([read("yes"), read(true), read(undefined), read(""), read("no"), read("constructor"), read(["yes"])]).toEqual([
      true,
      true,
      false,
      false,
      false,
      false,
      false,
    ]);
    const { notify: _, ...old } = message(1);
    const parsed = parseCommentMessage(toQueueBody(old as CommentMessage));
    expect(parsed.ok && parsed.message.notify).toBe(false);
  });
});

describe("double opt-in", () => {
  it("asks once, with none of the commenter's words, and sends nothing else until the link's button is pressed", async () => {
    const { id } = await insertArticle({ title: "Bestätigen" });
    const w = setup();
    const m = message(id, { author: "Cheap pills at https://spam.example", comment: "Visit www.spam.example now" });
    await w.deliver(m);
    expect(to(w.sent, m.email)).toHaveLength(1);
    const [ask] = to(w.sent, m.email);
    expect(ask?.subject).toBe("Bitte bestätigen: Mails zu deinem Kommentar zu „Bestätigen“");
    for (const part of [ask?.subject, ask?.text, ask?.html]) {
      expect(part).not.toContain("spam");
      expect(part).not.toContain("pills");
    }
    expect(ask?.text).toContain("30 Tage");
    expect(ask?.headers ?? {}).not.toHaveProperty("List-Unsubscribe");
    const link = pathOf(findMailLink(ask, "/comments/confirm"));
    expect(ask?.html).toContain(`<a href="http://localhost:8787${link.replace(/&/g, "&amp;")}">`);

    // Approved, a reply approved, the cron: still only the one mail, and no second request to confirm.
    await w.moderate("approve", [m.id]);
    const reply = message(id, { parentId: m.id, author: "Max", comment: "Eine Antwort.", notify: false });
    await w.deliver(reply);
    await w.moderate("approve", [reply.id]);
    await w.cron();
    expect(to(w.sent, m.email)).toHaveLength(1);

    // A mail scanner following the link changes nothing.
    const page = await w.fetch(link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('method="post"');
    expect(html).toContain(`action="${link.replace(/&/g, "&amp;")}"`);
    expect(await confirmedAt(m.id)).toBeNull();

    const done = await w.fetch(link, { method: "POST" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("Bestätigt");
    expect(await confirmedAt(m.id)).toBeGreaterThan(0);
    // The approval that came before is told at once, the reply by the next cron; pressing again sends nothing new.
    expect(to(w.sent, m.email).map((mail) => mail.subject)).toEqual([ask?.subject, "Dein Kommentar ist freigegeben: Bestätigen"]);
    expect((await w.fetch(link, { method: "POST" })).status).toBe(200);
    await w.cron();
    await w.cron();
    expect(to(w.sent, m.email).map((mail) => mail.subject)).toEqual([
      ask?.subject,
      "Dein Kommentar ist freigegeben: Bestätigen",
      "Neue Antwort auf deinen Kommentar: Bestätigen",
    ]);
  });

  it("refuses a changed link (403) and explains an expired one (410), confirming nothing", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const m = message(id);
    await w.deliver(m);
    const link = pathOf(findMailLink(to(w.sent, m.email)[0], "/comments/confirm"));
    const e = Number(/[?&]e=(\d+)/.exec(link)?.[1]);
    const tampered = [
      link.replace(/sig=(.)/, (_, ch: string) => `sig=${ch === "A" ? "B" : "A"}`),
      link.replace(/e=\d+/, `e=${e + 86_400}`),
      link.replace(/&sig=.*/, ""),
      link.replace(`c=${m.id}`, `c=${crypto.randomUUID()}`),
      `/comments/confirm?c=constructor&e=${e}&sig=${link.split("sig=")[1]}`,
      `${link}&c=${crypto.randomUUID()}`,
      // An unsubscribe link is no confirmation link.
      pathOf(await buildMailLink("", SECRET, "unsubscribe", m.id, Date.now())).replace("/comments/unsubscribe", "/comments/confirm"),
    ];
    for (const bad of tampered) {
      expect((await w.fetch(bad)).status, bad).toBe(403);
      expect((await w.fetch(bad, { method: "POST" })).status, bad).toBe(403);
    }
    const expired = pathOf(await buildMailLink("", SECRET, "confirm", m.id, Date.now() - (MAIL_LINK_DAYS.confirm * DAY_MS + 1000)));
    const res = await w.fetch(expired, { method: "POST" });
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("Bestätigungslinks gelten 30 Tage");
    expect((await w.fetch(expired)).status).toBe(410);
    expect(await confirmedAt(m.id)).toBeNull();
  });

  it("sends no confirmation for spam, and a confirmation of an unsubscribed comment says there is nothing to confirm", async () => {
    const { id } = await insertArticle();
    const w = setup({ COMMENT_DISALLOWED_WORDS: "pills" });
    const spam = message(id, { comment: "buy pills" });
    await w.deliver(spam);
    await w.cron();
    expect(to(w.sent, spam.email)).toEqual([]);

    const m = message(id);
    await w.deliver(m);
    const link = pathOf(findMailLink(to(w.sent, m.email)[0], "/comments/confirm"));
    const unsubscribe = pathOf(await buildMailLink("", SECRET, "unsubscribe", m.id, Date.now()));
    expect((await w.fetch(unsubscribe, { method: "POST" })).status).toBe(200);
    const res = await w.fetch(link, { method: "POST" });
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("Nichts zu bestätigen");
    expect(await confirmedAt(m.id)).toBeNull();
  });
});

describe("approval and reply mail", () => {
  it("mails the confirmed commenter once when approved, not while pending, with a one-click unsubscribe", async () => {
    const { id } = await insertArticle({ title: "Antworten" });
    const w = setup();
    const m = message(id);
    await w.subscribe(m);
    expect(to(w.sent, m.email)).toHaveLength(1);
    await w.moderate("approve", [m.id]);
    expect(to(w.sent, m.email)).toHaveLength(2);
    const mail = to(w.sent, m.email)[1];
    expect(mail?.subject).toBe("Dein Kommentar ist freigegeben: Antworten");
    expect(mail?.text).toContain("Ein Kommentar.");
    expect(mail?.text).toContain("der Link gilt 90 Tage");
    const link = findMailLink(mail, "/comments/unsubscribe");
    expect(link).toContain(`c=${m.id}`);
    expect(mail?.headers).toEqual({ "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    // Unapproved and approved again, by another path, and the cron: still one mail.
    await w.moderate("unapprove", [m.id]);
    await w.moderate("approve", [m.id]);
    await w.cron();
    expect(to(w.sent, m.email)).toHaveLength(2);
  });

  it("sends nothing for comments never approved, nor for those that did not ask", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const spam = message(id);
    const trash = message(id);
    const silent = message(id, { notify: false });
    for (const m of [spam, trash]) await w.subscribe(m);
    await w.deliver(silent);
    await w.moderate("spam", [spam.id]);
    await w.moderate("trash", [trash.id]);
    await w.moderate("approve", [silent.id]);
    await w.cron();
    expect(to(w.sent, spam.email)).toHaveLength(1);
    expect(to(w.sent, trash.email)).toHaveLength(1);
    expect(to(w.sent, silent.email)).toEqual([]);
  });

  it("first_time auto-approval mails as soon as the address is confirmed", async () => {
    const { id } = await insertArticle();
    const w = setup({ COMMENT_MODERATION: "first_time" });
    const first = message(id);
    await w.subscribe(first);
    await w.moderate("approve", [first.id]);
    const second = message(id, { email: first.email, comment: "Noch einer." });
    await w.subscribe(second);
    expect(to(w.sent, first.email).map((m) => m.subject?.startsWith("Dein Kommentar ist freigegeben") && m.text?.includes("Noch einer."))).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });

  it("tells the parent's author of an approved reply; the unsubscribe link stops that; a tampered one does nothing", async () => {
    const { id } = await insertArticle({ title: "Fäden" });
    const w = setup();
    const parent = message(id);
    await w.subscribe(parent);
    await w.moderate("approve", [parent.id]);
    const reply = message(id, { parentId: parent.id, author: "Max", comment: "Eine Antwort.", notify: false });
    await w.deliver(reply);
    expect(to(w.sent, parent.email)).toHaveLength(2);
    await w.moderate("approve", [reply.id]);
    const replyMail = to(w.sent, parent.email)[2];
    expect(replyMail?.subject).toBe("Neue Antwort auf deinen Kommentar: Fäden");
    expect(replyMail?.text).toContain("Max hat auf deinen Kommentar");
    expect(replyMail?.text).toContain("Eine Antwort.");
    const link = pathOf(findMailLink(replyMail, "/comments/unsubscribe"));
    expect(link).toContain(`c=${parent.id}`);

    const tampered = link.replace(/sig=(.)/, (_, ch: string) => `sig=${ch === "A" ? "B" : "A"}`);
    for (const bad of [tampered, link.replace(/&sig=.*/, ""), `/comments/unsubscribe?c=constructor&sig=${link.split("sig=")[1]}`]) {
      expect((await w.fetch(bad)).status).toBe(403);
      expect((await w.fetch(bad, { method: "POST" })).status).toBe(403);
    }
    const confirm = await w.fetch(link);
    expect(confirm.status).toBe(200);
    const html = await confirm.text();
    expect(html).toContain('method="post"');
    expect(html).toContain(`action="${link.replace(/&/g, "&amp;")}"`);
    expect(await notifyOn(parent.id)).toBe(1);
    // The one-click POST (RFC 8058) as a mail client sends it.
    const done = await w.fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(done.status).toBe(200);
    const second = message(id, { parentId: parent.id, author: "Moritz", comment: "Noch eine." });
    await w.deliver(second);
    await w.moderate("approve", [second.id]);
    await w.cron();
    expect(to(w.sent, parent.email)).toHaveLength(3);
  });

  it("mails what an approval outside the Worker (the local CLI's SQL) made due at the next cron", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const m = message(id);
    await w.subscribe(m);
    await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE id = ?").bind(m.id).run();
    await w.cron();
    expect(to(w.sent, m.email)).toHaveLength(2);
  });
});

describe("unsubscribe links expire", () => {
  it("work (one click too) within 90 days; past them, or from before links expired, they explain how to go on and change nothing", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const m = message(id);
    await w.subscribe(m);
    const linkAt = async (now: number) => pathOf(await buildMailLink("", SECRET, "unsubscribe", m.id, now));
    const oneClick = { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" };

    const expired = await linkAt(Date.now() - (MAIL_LINK_DAYS.unsubscribe * DAY_MS + 1000));
    const legacy = `/comments/unsubscribe?c=${m.id}&sig=${await signHmac(SECRET, `unsubscribe|${m.id}`)}`;
    for (const old of [expired, legacy]) {
      const page = await w.fetch(old);
      expect(page.status).toBe(410);
      expect(await page.text()).toContain("Jede Mail zu deinem Kommentar bringt einen neuen mit");
      expect((await w.fetch(old, oneClick)).status).toBe(410);
    }
    // The expiry is signed: moving it on breaks the link.
    const e = Number(/[?&]e=(\d+)/.exec(expired)?.[1]);
    expect((await w.fetch(expired.replace(/e=\d+/, `e=${e + 365 * 86_400}`), oneClick)).status).toBe(403);
    expect(await notifyOn(m.id)).toBe(1);

    // A link nearly 90 days old still works, one click.
    const old = await linkAt(Date.now() - (MAIL_LINK_DAYS.unsubscribe * DAY_MS - 60_000));
    expect((await w.fetch(old, oneClick)).status).toBe(200);
    expect(await notifyOn(m.id)).toBe(0);
  });
});
