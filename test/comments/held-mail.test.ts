// Moderators are told of held comments: through a real message batch and
// Miniflare's send_email binding, once per comment, a digest past the
// threshold (whatever waits, once), never the commenter's address in a
// subject, and nothing the commenter wrote as a clickable link.
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
    expect(mail?.text).toContain("Siehe hxxps://a[.]example und hxxps://b[.]example");
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

  it("sends the unchecked text and name defanged, as text: only the site's own URLs are links", async () => {
    const { id, slug } = await insertArticle({ title: "Links" });
    const m = message(id, { author: "www.evil.example", comment: "https://evil.example/login" });
    const second = message(id, { author: "Mallory", comment: "Schreib an mallory@evil.example oder HTTP://EVIL.example:8080/x?a=1, Preis 3.50 €" });
    const mailer = recordingMailer();
    await runBatch([m, second], { ...MAIL_VARS, EMAIL: mailer.binding });
    const [first, next] = mailer.sent;
    expect(first?.text).toContain("www[.]evil[.]example hat einen Kommentar");
    expect(first?.text).toContain("\n\nhxxps://evil[.]example/login\n\n");
    expect(next?.text).toContain("Schreib an mallory@evil[.]example oder HxxP://EVIL[.]example:8080/x?a=1, Preis 3.50 €");
    for (const mail of [first, next]) {
      const hrefs = [...(mail?.html ?? "").matchAll(/<a\b[^>]*href="([^"]*)"/g)].map((a) => a[1]);
      expect(hrefs.length).toBe(2);
      for (const href of hrefs) expect(href).toMatch(/^http:\/\/localhost:8787\/(articles|admin\/comments)\//);
      expect(mail?.text).not.toMatch(/evil\.example/i);
      expect(mail?.html).not.toMatch(/evil\.example/i);
    }
    expect(first?.html).toContain(`<a href="http://localhost:8787/articles/${slug}">`);
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
    await worker.scheduled(digestCron, { ...env, ...vars } as Env, createExecutionContext());
    expect(mailer.sent).toHaveLength(HELD_MAIL_LIMIT + 1);
    const digest = mailer.sent.at(-1);
    expect(digest?.subject).toBe("3 Kommentare warten");
    for (const m of flood.slice(10)) expect(digest?.text).toContain(`/admin/comments/${m.id}`);
    for (const m of flood.slice(10)) expect(digest?.subject).not.toContain(m.email);
    // The next run finds nothing left to report.
    await worker.scheduled(
      createScheduledController({ scheduledTime: Date.now() + 1, cron: "*/10 * * * *" }),
      { ...env, ...vars } as Env,
      createExecutionContext(),
    );
    expect(mailer.sent).toHaveLength(HELD_MAIL_LIMIT + 1);
  });
});

type Row = { status?: string; heldMail?: string | null; email?: string; subscribed?: boolean; createdAt?: number };

/** Inserts comments as the consumer stores them; `subscribed`: confirmed "notify me", its approval mail due. */
async function insertRows(articleId: number, n: number, row: Row = {}): Promise<string[]> {
  const ids = Array.from({ length: n }, () => crypto.randomUUID());
  const now = Date.now();
  const insert = env.DB.prepare(
    `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at, held_mail,
       notify_replies, notify_confirmed_at, approval_mail_at, reply_mail_at)
     VALUES (?, ?, ?, ?, 'Text', '<p>Text</p>', ?, ?, ?, ?, ?, ?, ?)`,
  );
  await env.DB.batch(
    ids.map((id, i) =>
      insert.bind(
        id,
        articleId,
        `Autor ${i}`,
        row.email ?? `a${i}@example.com`,
        row.status ?? "pending",
        (row.createdAt ?? now) + i,
        row.heldMail === undefined ? "digest" : row.heldMail,
        row.subscribed ? 1 : 0,
        row.subscribed ? now : null,
        row.subscribed ? null : now,
        now,
      ),
    ),
  );
  return ids;
}

const digestCron = (time = Date.now()) => createScheduledController({ scheduledTime: time, cron: "*/10 * * * *" });
const countHeld = async (state: string) => (await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE held_mail = ?").bind(state).first<number>("n")) ?? 0;

/** Sends whatever earlier tests left waiting, so each digest test starts from nothing. */
async function flushDigest() {
  await worker.scheduled(digestCron(), { ...env, ...MAIL_VARS, EMAIL: recordingMailer().binding } as Env, createExecutionContext());
}

describe("the digest", () => {
  it("with 250 waiting: one mail naming the oldest 100 and counting the rest, each marked once; the commenters' mail still goes", async () => {
    await flushDigest();
    const { id } = await insertArticle({ title: "Flut" });
    const waiting = await insertRows(id, 250);
    const [reader] = await insertRows(id, 1, { status: "approved", heldMail: null, email: "reader@example.com", subscribed: true });
    const mailer = recordingMailer();
    const vars = { ...env, ...MAIL_VARS, EMAIL: mailer.binding } as Env;
    await worker.scheduled(digestCron(), vars, createExecutionContext());

    const digests = mailer.sent.filter((m) => m.to === "moderators@example.com");
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toBe("250 Kommentare warten");
    const text = digests[0]?.text ?? "";
    for (const listed of waiting.slice(0, 100)) expect(text).toContain(`/admin/comments/${listed}`);
    for (const counted of waiting.slice(100)) expect(text).not.toContain(counted);
    expect(text).toContain("Dazu 150 weitere, hier nicht aufgeführt.");
    expect(text).toContain("http://localhost:8787/admin?status=pending");
    expect(await countHeld("digest")).toBe(0);
    const { results } = await env.DB.prepare("SELECT held_mail, count(*) AS n FROM comments WHERE id IN (SELECT value FROM json_each(?)) GROUP BY held_mail")
      .bind(JSON.stringify(waiting))
      .all();
    expect(results).toEqual([{ held_mail: "digested", n: 250 }]);
    expect(mailer.sent.filter((m) => m.to === "reader@example.com").map((m) => m.subject)).toEqual(["Dein Kommentar ist freigegeben: Flut"]);
    expect(reader).toBeDefined();

    // Nothing waits any more: the next runs send nothing.
    await worker.scheduled(digestCron(Date.now() + 600_000), vars, createExecutionContext());
    await worker.scheduled(digestCron(Date.now() + 1_200_000), vars, createExecutionContext());
    expect(mailer.sent).toHaveLength(2);
  });

  it("marks only what it mailed: a comment held while the digest is sent waits for the next one", async () => {
    await flushDigest();
    const { id } = await insertArticle({ title: "Dazwischen" });
    const [early] = await insertRows(id, 1);
    let late = "";
    const real = recordingMailer();
    const binding = {
      async send(builder: EmailMessageBuilder) {
        // The consumer holds one more for the digest while this mail is on its way.
        if (!late) [late = ""] = await insertRows(id, 1);
        return real.binding.send(builder);
      },
    } as SendEmail;
    const vars = { ...env, ...MAIL_VARS, EMAIL: binding } as Env;
    await worker.scheduled(digestCron(), vars, createExecutionContext());
    expect(real.sent.map((m) => m.subject)).toEqual(["1 Kommentare warten"]);
    expect(real.sent[0]?.text).toContain(`/admin/comments/${early}`);
    expect(real.sent[0]?.text).not.toContain(late);
    expect(await heldMail(late)).toBe("digest");

    await worker.scheduled(digestCron(Date.now() + 600_000), vars, createExecutionContext());
    expect(real.sent).toHaveLength(2);
    expect(real.sent[1]?.text).toContain(`/admin/comments/${late}`);
    expect(await heldMail(late)).toBe("digested");
  });
});
