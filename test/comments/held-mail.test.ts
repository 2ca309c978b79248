// Issue 13 "Moderators are told": the held-comment mail through a real message
// batch and Miniflare's send_email binding: once per comment, a digest past
// the threshold, never the commenter's address in a subject.
import { createExecutionContext, createMessageBatch, createScheduledController, env, getQueueResult } from "cloudflare:test";
import { beforeEach, describe, expect, it } from "vitest";
import { HELD_MAIL_LIMIT } from "../../src/comments/held-mail";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { commentMessage } from "../helpers/comments";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";

function message(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return commentMessage(articleId, { author: "Erika Muster", comment: "Ein Kommentar mit <b>Fett</b>.", ...extra });
}

async function runBatch(messages: CommentMessage[], vars: Partial<Env>) {
  const ctx = createExecutionContext();
  const batch = createMessageBatch(
    "edge-blog-comments",
    messages.map((m) => ({ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) })),
  );
  await worker.queue(batch, { ...env, ...vars } as Env, ctx);
  return getQueueResult(batch, ctx);
}

const heldMail = (id: string) => env.DB.prepare("SELECT held_mail FROM comments WHERE id = ?").bind(id).first<string>("held_mail");

// Mails of earlier tests in this file must not count towards the digest's window.
beforeEach(async () => {
  await env.DB.prepare("UPDATE comments SET held_mail_at = 0 WHERE held_mail = 'sent'").run();
});

describe("the held-comment mail", () => {
  it("tells the moderators once, in the site's language, with article, text, reasons and the admin link", async () => {
    const { id, slug } = await insertArticle({ title: "Über Kommentare" });
    const m = message(id, { comment: "Siehe https://a.example und https://b.example" });
    const mailer = recordingMailer();
    const vars = { ...MAIL_VARS, EMAIL: mailer.binding };
    expect((await runBatch([m], vars)).explicitAcks).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
    const [mail] = mailer.sent;
    expect(mail).toMatchObject({ from: "blog@example.com", to: "moderators@example.com", subject: "Kommentar wartet: Über Kommentare" });
    expect(mail?.subject).not.toContain(m.email);
    expect(mail?.text).toContain("Erika Muster hat einen Kommentar zu „Über Kommentare“ geschrieben");
    expect(mail?.text).toContain(`http://localhost:8787/articles/${slug}`);
    expect(mail?.text).toContain("Siehe https://a.example und https://b.example");
    expect(mail?.text).toContain("2 Links (Grenze 2)");
    expect(mail?.text).toContain(`http://localhost:8787/admin/comments/${m.id}`);
    expect(mail?.html).toContain(`<a href="http://localhost:8787/admin/comments/${m.id}">`);
    expect(await heldMail(m.id)).toBe("sent");
    // The same message again (a redelivery): stored already, mailed already.
    await env.DB.prepare("UPDATE comments SET effects_done_at = NULL WHERE id = ?").bind(m.id).run();
    expect((await runBatch([m], vars)).explicitAcks).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it("escapes the commenter's text in the HTML part and keeps names out of the subject's header line", async () => {
    const { id } = await insertArticle({ title: "Titel\r\nBcc: evil@example.com" });
    const m = message(id, { comment: "<script>alert(1)</script>" });
    const mailer = recordingMailer();
    await runBatch([m], { ...MAIL_VARS, EMAIL: mailer.binding });
    expect(mailer.sent[0]?.subject).toBe("Kommentar wartet: Titel Bcc: evil@example.com");
    expect(mailer.sent[0]?.html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(mailer.sent[0]?.html).not.toContain("<script>");
  });

  it("sends nothing when MODERATION_EMAIL is empty, and nothing for approved or spam comments", async () => {
    const { id } = await insertArticle();
    const mailer = recordingMailer();
    await runBatch([message(id)], { ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding });
    await runBatch([message(id, { comment: "buy pills" })], { ...MAIL_VARS, COMMENT_DISALLOWED_WORDS: "pills", EMAIL: mailer.binding });
    expect(mailer.sent).toEqual([]);
  });

  it("retries the message when the binding refuses the mail, and mails once the retry succeeds", async () => {
    const { id } = await insertArticle();
    const m = message(id);
    const refused = await runBatch([m], { ...MAIL_VARS, EMAIL: { send: () => Promise.reject(new Error("no")) } as unknown as SendEmail });
    expect(refused.retryMessages).toHaveLength(1);
    expect(await heldMail(m.id)).toBeNull();
    const mailer = recordingMailer();
    expect((await runBatch([m], { ...MAIL_VARS, EMAIL: mailer.binding })).explicitAcks).toHaveLength(1);
    expect(mailer.sent).toHaveLength(1);
  });

  it(`past ${HELD_MAIL_LIMIT} mails in 10 minutes, the rest wait for one digest that the cron sends once`, async () => {
    const { id } = await insertArticle({ title: "Flut" });
    const flood = Array.from({ length: HELD_MAIL_LIMIT + 3 }, () => message(id));
    const mailer = recordingMailer();
    const vars = { ...MAIL_VARS, EMAIL: mailer.binding };
    expect((await runBatch(flood.slice(0, 10), vars)).explicitAcks).toHaveLength(10);
    expect((await runBatch(flood.slice(10), vars)).explicitAcks).toHaveLength(3);
    expect(mailer.sent).toHaveLength(HELD_MAIL_LIMIT);
    const digestCron = createScheduledController({ scheduledTime: Date.now(), cron: "*/10 * * * *" });
    await worker.scheduled(digestCron, { ...env, ...vars } as Env);
    expect(mailer.sent).toHaveLength(HELD_MAIL_LIMIT + 1);
    const digest = mailer.sent.at(-1);
    expect(digest?.subject).toBe("3 Kommentare warten");
    for (const m of flood.slice(10)) expect(digest?.text).toContain(`/admin/comments/${m.id}`);
    for (const m of flood.slice(10)) expect(digest?.subject).not.toContain(m.email);
    // The next run finds nothing left to report.
    await worker.scheduled(digestCron, { ...env, ...vars } as Env);
    expect(mailer.sent).toHaveLength(HELD_MAIL_LIMIT + 1);
  });
});
