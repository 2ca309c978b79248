// FORM_OF_ADDRESS end to end: the pages, answers and mails a reader or
// commenter gets say du by default and Sie with "formal"; English is the same
// in both; the moderators' mail speaks to the editors and stays informal.
// Through the real Worker, queue batches and Miniflare's send_email binding.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildMailLink } from "../../src/comments/mail-links";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import { ownCommentPath, signModerationHash } from "../../src/comments/own-comment";
import type { FormOfAddress } from "../../src/i18n";
import worker from "../../src/index";
import { ADMIN_TOKEN, freshClientIp } from "../helpers/admin";
import { insertArticle, insertPage } from "../helpers/articles";
import { commentMessage, insertComment } from "../helpers/comments";
import { ORIGIN } from "../helpers/http";
import { findMailLink, MAIL_VARS, recordingMailer } from "../helpers/mail";
import { oldToken, uniqueIp, validFields } from "../helpers/post-comment";

const word = (words: string) => new RegExp(`(?<!\\p{L})(?:${words})(?!\\p{L})`, "iu");
const DU = word("du|dich|dir|dein|deine|deinen|deinem|deiner|deines");
const DU_IMPERATIVE = word(
  "hinterlasse|versuch|versuche|frag|fordere|gib|schau|nimm|prüfe|lade|schick|schicke|warte|sende|kreuze|lass|bestätige|benachrichtige",
);
const SIE = /(?<!\p{L})(?:Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)(?!\p{L})/u;

/** What a reader reads of a page's main part: its text, without markup. */
function mainText(html: string): string {
  const main = /<main[^>]*>([\s\S]*)<\/main>/.exec(html)?.[1] ?? html;
  return main
    .replace(/<script[\s\S]*?<\/script>/g, " ")
    .replace(/<[^>]+>/g, " ")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

function expectFormal(text: string, label: string): void {
  expect(DU.exec(text)?.[0], `${label} says du`).toBeUndefined();
  expect(DU_IMPERATIVE.exec(text)?.[0], `${label} says du`).toBeUndefined();
  expect(SIE.test(text), `${label} says Sie`).toBe(true);
}

/** The Worker in one register, with mail on through the recording wrapper around the real binding. */
function site(address: FormOfAddress) {
  const mailer = recordingMailer();
  const workerEnv = { ...env, ...MAIL_VARS, EMAIL: mailer.binding, FORM_OF_ADDRESS: address } as Env;
  const fetch = (path: string, init: RequestInit = {}) =>
    worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), workerEnv, createExecutionContext());
  return {
    sent: mailer.sent,
    fetch,
    text: async (path: string, init: RequestInit = {}) => mainText(await (await fetch(path, init)).text()),
    async deliver(m: CommentMessage) {
      const ctx = createExecutionContext();
      const batch = createMessageBatch("edge-blog-comments", [{ id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) }]);
      await worker.queue(batch, workerEnv, ctx);
      expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    },
    async approve(id: string) {
      const res = await fetch(`/admin/api/comments/${id}`, {
        method: "PATCH",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json", "CF-Connecting-IP": freshClientIp() },
        body: JSON.stringify({ status: "approved" }),
      });
      expect(res.status).toBe(200);
    },
  };
}

function form(fields: Record<string, unknown>): RequestInit {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": uniqueIp() }, body };
}

const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");

describe("the reader's pages in both registers", () => {
  it("say du by default and Sie with formal: the article and its form, a refused form, the waiting comment, errors", async () => {
    const { id, slug } = await insertArticle({ title: "Anrede" });
    // The form names the privacy page when there is one.
    await insertPage({ title: "Datenschutz", role: "privacy", nav: "footer" });
    const waiting = await insertComment(id, "pending", "Ein wartender Gedanke.");
    const own = ownCommentPath(slug, waiting, await signModerationHash(env.FORM_SECRET, waiting, Date.now())).replace(/#.*/, "");
    const queued = crypto.randomUUID();
    const processing = ownCommentPath(slug, queued, await signModerationHash(env.FORM_SECRET, queued, Date.now())).replace(/#.*/, "");

    const informal = site("informal");
    const article = await informal.text(`/articles/${slug}`);
    expect(article).toContain("Hinterlasse eine Antwort");
    expect(article).toContain("Deine E-Mail-Adresse wird nicht veröffentlicht.");
    expect(article).toContain("Mit dem Absenden akzeptierst du die");
    expect(article).toContain("Benachrichtige mich per Mail");
    expect(await informal.text(own)).toContain("Dein Kommentar wartet auf Freischaltung.");
    expect(await informal.text(processing)).toContain("Dein Kommentar ist angekommen");
    expect(await informal.text(`/articles/${slug}/comments`, form({ token: await oldToken(id), author: "" }))).toContain("Bitte prüfe die markierten Felder.");

    const formal = site("formal");
    const pages: Record<string, [string, number, RequestInit?]> = {
      article: [`/articles/${slug}`, 200],
      "own waiting comment": [own, 200],
      "own comment being processed": [processing, 200],
      "refused form": [`/articles/${slug}/comments`, 422, form({ token: await oldToken(id), author: "", email: "kaputt" })],
      "form too fast": [`/articles/${slug}/comments`, 429, form(validFields({ token: await oldToken(id, 0) }))],
      "form without a valid token": [`/articles/${slug}/comments`, 422, form(validFields({ token: "x.y.z" }))],
      "reply to nothing": [`/articles/${slug}/comments`, 422, form(validFields({ token: await oldToken(id), parent: crypto.randomUUID() }))],
      "body of another type": [`/articles/${slug}/comments`, 415, { method: "POST", headers: { "Content-Type": "text/plain" }, body: "x" }],
      "search without hits": ["/search?q=nirgendwoxyz", 200],
      "a changed mail link": [`/comments/confirm?c=${waiting}&e=9999999999&sig=${"A".repeat(43)}`, 403],
    };
    for (const [label, [path, status, init]] of Object.entries(pages)) {
      const res = await formal.fetch(path, init);
      expect(res.status, label).toBe(status);
      expectFormal(mainText(await res.text()), label);
    }
    const formalArticle = await formal.text(`/articles/${slug}`);
    expect(formalArticle).toContain("Hinterlassen Sie einen Kommentar");
    expect(formalArticle).toContain("Ihre E-Mail-Adresse wird nicht veröffentlicht.");
    expect(formalArticle).toContain("Sie können folgende HTML-Tags verwenden:");
    expect(formalArticle).toContain("Benachrichtigen Sie mich per Mail");
    expect(formalArticle).toContain("Mit dem Absenden akzeptieren Sie die");
    expect(await formal.text(own)).toContain("Ihr Kommentar wartet auf Freischaltung.");

    // A JSON client reads the same register.
    const json = await formal.fetch(`/articles/${slug}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json", "CF-Connecting-IP": uniqueIp() },
      body: JSON.stringify({ token: await oldToken(id), author: "", email: "a@example.com", comment: "x" }),
    });
    expect(json.status).toBe(422);
    expect((await json.json<{ error: string }>()).error).toBe("Bitte prüfen Sie die markierten Felder.");
  });

  it("leave English as it is", async () => {
    const { slug } = await insertArticle({ lang: "en" });
    const [informal, formal] = [await site("informal").text(`/articles/${slug}`), await site("formal").text(`/articles/${slug}`)];
    expect(formal).toBe(informal);
    expect(formal).toContain("Leave a Reply");
    expect(formal).toContain("Your email address will not be published.");
  });
});

describe("the commenters' mail and its pages in both registers", () => {
  it.each([
    [
      "informal",
      {
        confirm: "Bitte bestätigen: Mails zu deinem Kommentar zu „Briefe“",
        approved: "Dein Kommentar ist freigegeben: Briefe",
        reply: "Neue Antwort auf deinen Kommentar: Briefe",
      },
    ],
    [
      "formal",
      {
        confirm: "Bitte bestätigen: Mails zu Ihrem Kommentar zu „Briefe“",
        approved: "Ihr Kommentar ist freigegeben: Briefe",
        reply: "Neue Antwort auf Ihren Kommentar: Briefe",
      },
    ],
  ] as const)("speak %s: confirmation, approval and reply, the confirm and unsubscribe pages; the moderators' stays informal", async (address, subjects) => {
    const { id } = await insertArticle({ title: "Briefe" });
    const w = site(address);
    const m = commentMessage(id, { author: "Erika Muster", notify: true });
    await w.deliver(m);
    const [confirm] = w.sent.filter((mail) => mail.to === m.email);
    expect(confirm?.subject).toBe(subjects.confirm);
    const held = w.sent.find((mail) => mail.to === MAIL_VARS.MODERATION_EMAIL);
    expect(held?.text).toContain("Er wartet auf deine Freigabe.");

    const link = pathOf(findMailLink(confirm, "/comments/confirm"));
    const confirmPage = await w.text(link);
    const confirmedPage = await w.text(link, { method: "POST" });
    await w.approve(m.id);
    const reply = commentMessage(id, { parentId: m.id, author: "Max", comment: "Eine Antwort." });
    await w.deliver(reply);
    await w.approve(reply.id);
    const mails = w.sent.filter((mail) => mail.to === m.email);
    expect(mails.map((mail) => mail.subject)).toEqual([subjects.confirm, subjects.approved, subjects.reply]);
    const unsubscribe = pathOf(await buildMailLink("", env.FORM_SECRET, "unsubscribe", m.id, Date.now()));
    const unsubscribePage = await w.text(unsubscribe);
    const unsubscribedPage = await w.text(unsubscribe, { method: "POST" });

    const texts = {
      ...Object.fromEntries(mails.map((mail, i) => [`mail ${i + 1}`, `${mail.subject}\n${mail.text}`])),
      "confirm page": confirmPage,
      "confirmed page": confirmedPage,
      "unsubscribe page": unsubscribePage,
      "unsubscribed page": unsubscribedPage,
    };
    for (const [label, text] of Object.entries(texts)) {
      if (address === "formal") expectFormal(text, label);
      else expect(DU.test(text) || DU_IMPERATIVE.test(text), `${label} says du`).toBe(true);
    }
  });
});
