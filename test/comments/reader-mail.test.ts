// Issue 13: commenters who ticked "notify me" get one mail when their comment
// is approved and one per approved reply, each with a signed one-click
// unsubscribe link; nothing for a comment that was never approved. Through
// real message batches, the real admin API and Miniflare's send_email binding.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type CommentMessage, parseCommentMessage, toQueueBody, validateCommentInput } from "../../src/comments/message";
import worker from "../../src/index";
import { ADMIN_TOKEN, freshClientIp } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { MAIL_VARS, recordingMailer, type SentMail } from "../helpers/mail";

function message(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return commentMessage(articleId, { author: "Erika Muster", notify: true, ...extra });
}

/** The Worker with mail on, sending through the recording wrapper around the real binding. */
function setup(extra: Partial<Env> = {}) {
  const mailer = recordingMailer();
  const workerEnv = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, ...extra } as Env;
  const fetch = (path: string, init: RequestInit = {}) =>
    worker.fetch(new Request(`https://blog.test${path}`, { redirect: "manual", ...init }), workerEnv, createExecutionContext());
  return {
    sent: mailer.sent,
    async deliver(m: CommentMessage) {
      const ctx = createExecutionContext();
      const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
      await worker.queue(batch, workerEnv, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
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
    cron: () => worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" }), workerEnv),
  };
}

const to = (sent: SentMail[], address: string) => sent.filter((m) => m.to === address);
const unsubscribeLink = (mail: SentMail | undefined) => /https?:\/\/\S+\/comments\/unsubscribe\?c=[^\s&]+&sig=[\w-]+/.exec(mail?.text ?? "")?.[0] ?? "";
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");

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

describe("approval and reply mail", () => {
  it("mails the commenter once when approved, not while pending, with a one-click unsubscribe", async () => {
    const { id } = await insertArticle({ title: "Antworten" });
    const w = setup();
    const m = message(id);
    await w.deliver(m);
    expect(w.sent).toEqual([]);
    await w.moderate("approve", [m.id]);
    expect(to(w.sent, m.email)).toHaveLength(1);
    const mail = to(w.sent, m.email)[0];
    expect(mail?.subject).toBe("Dein Kommentar ist freigegeben: Antworten");
    expect(mail?.text).toContain("Ein Kommentar.");
    const link = unsubscribeLink(mail);
    expect(link).toContain(`c=${m.id}`);
    expect(mail?.headers).toEqual({ "List-Unsubscribe": `<${link}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" });
    // Unapproved and approved again, by another path, and the cron: still one mail.
    await w.moderate("unapprove", [m.id]);
    await w.moderate("approve", [m.id]);
    await w.cron();
    expect(to(w.sent, m.email)).toHaveLength(1);
  });

  it("sends nothing for comments never approved, nor for those that did not ask", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const spam = message(id);
    const trash = message(id);
    const silent = message(id, { notify: false });
    for (const m of [spam, trash, silent]) await w.deliver(m);
    await w.moderate("spam", [spam.id]);
    await w.moderate("trash", [trash.id]);
    await w.moderate("approve", [silent.id]);
    await w.cron();
    expect(w.sent).toEqual([]);
  });

  it("first_time auto-approval mails at once, through the batch", async () => {
    const { id } = await insertArticle();
    const w = setup({ COMMENT_MODERATION: "first_time" });
    const first = message(id);
    await w.deliver(first);
    await w.moderate("approve", [first.id]);
    const second = message(id, { email: first.email, comment: "Noch einer." });
    await w.deliver(second);
    expect(to(w.sent, first.email).map((m) => m.text?.includes("Noch einer."))).toEqual([false, true]);
  });

  it("tells the parent's author of an approved reply; the unsubscribe link stops that; a tampered one does nothing", async () => {
    const { id } = await insertArticle({ title: "Fäden" });
    const w = setup();
    const parent = message(id);
    await w.deliver(parent);
    await w.moderate("approve", [parent.id]);
    const reply = message(id, { parentId: parent.id, author: "Max", comment: "Eine Antwort.", notify: false });
    await w.deliver(reply);
    expect(to(w.sent, parent.email)).toHaveLength(1);
    await w.moderate("approve", [reply.id]);
    const replyMail = to(w.sent, parent.email)[1];
    expect(replyMail?.subject).toBe("Neue Antwort auf deinen Kommentar: Fäden");
    expect(replyMail?.text).toContain("Max hat auf deinen Kommentar");
    expect(replyMail?.text).toContain("Eine Antwort.");
    const link = pathOf(unsubscribeLink(replyMail));
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
    const stillOn = await env.DB.prepare("SELECT notify_replies FROM comments WHERE id = ?").bind(parent.id).first<number>("notify_replies");
    expect(stillOn).toBe(1);
    // The one-click POST (RFC 8058) as a mail client sends it.
    const done = await w.fetch(link, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "List-Unsubscribe=One-Click" });
    expect(done.status).toBe(200);
    const second = message(id, { parentId: parent.id, author: "Moritz", comment: "Noch eine." });
    await w.deliver(second);
    await w.moderate("approve", [second.id]);
    await w.cron();
    expect(to(w.sent, parent.email)).toHaveLength(2);
  });

  it("mails what an approval outside the Worker (the local CLI's SQL) made due at the next cron", async () => {
    const { id } = await insertArticle();
    const w = setup();
    const m = message(id);
    await w.deliver(m);
    await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE id = ?").bind(m.id).run();
    await w.cron();
    expect(to(w.sent, m.email)).toHaveLength(1);
  });
});
