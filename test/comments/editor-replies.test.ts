// The editor's replies are told apart by how they were written (the admin sets
// by_editor), never by name or e-mail: under first_time moderation a reader who
// types the editor's name or e-mail, or anything that reads like them, is held
// with a reason, and only the editor's replies carry the editor's mark.
import { createExecutionContext, createMessageBatch, env, getQueueResult, SELF, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type CommentMessage, toQueueBody } from "../../src/comments/message";
import { type CommentPlatform, replyAsEditor } from "../../src/comments/service";
import { getAdminSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import { comments } from "../../src/db/schema";
import worker from "../../src/index";
import { localBackend } from "../../tools/comments/comments-local";
import { moderateRemotely } from "../../tools/comments/comments-remote";
import { adminGet, api, getCsrf, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { commentMessage, insertComment } from "../helpers/comments";
import { ORIGIN } from "../helpers/http";
import { lookalikeEmails, lookalikeNames, UNLIKE_EMAILS, UNLIKE_NAMES } from "../helpers/lookalikes";

// One env object for these tests (settings are read once per env object): first_time
// moderation and a real host, so the documented default EDITOR_EMAIL is editor@agentur.example.
const firstTime: Env = { ...env, COMMENT_MODERATION: "first_time", SITE_URL: "https://agentur.example", EDITOR_EMAIL: "" };
const editor = getAdminSettings(firstTime).editor;
const platform = (): CommentPlatform => ({ db: getDb(env.DB), purge: null, notices: null, now: Date.now() });

interface Row {
  status: string;
  reasons: string;
  by_editor: number;
  author: string;
  email: string;
}
const getRow = (id: string) => env.DB.prepare("SELECT status, reasons, by_editor, author, email FROM comments WHERE id = ?").bind(id).first<Row>();

/** Runs messages through the Worker's queue consumer on real D1, under first_time moderation; all must be acked. */
async function consume(messages: CommentMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += 25) {
    const slice = messages.slice(i, i + 25);
    const batch = createMessageBatch(
      "edge-blog-comments",
      slice.map((m) => ({ id: `msg-${m.id}`, timestamp: new Date(), attempts: 1, body: toQueueBody(m) })),
    );
    const ctx = createExecutionContext();
    await worker.queue(batch, firstTime, ctx);
    const result = await getQueueResult(batch, ctx);
    expect(result.explicitAcks.length).toBe(slice.length);
  }
}

/** Readers whose comments a moderator approved once: known authors for first_time. */
async function approveReaders(articleId: number, readers: { author: string; email: string }[]): Promise<void> {
  const insert = env.DB.prepare(
    "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES (?, ?, ?, ?, 'Früher.', '<p>Früher.</p>', 'approved', ?)",
  );
  await env.DB.batch(readers.map((r) => insert.bind(crypto.randomUUID(), articleId, r.author, r.email, Date.now() - 60_000)));
}

/** The editor replies through the admin page, on the Worker with these tests' vars. */
async function replyInAdmin(parentId: string, text: string): Promise<string> {
  const cookie = await login();
  const csrf = await getCsrf(cookie);
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}/admin/comments/${parentId}/reply`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie },
      body: new URLSearchParams({ csrf, comment: text }),
      redirect: "manual",
    }),
    firstTime,
    ctx,
  );
  await waitOnExecutionContext(ctx);
  expect(res.status).toBe(303);
  const id = /\/admin\/comments\/([0-9a-f-]{36})/.exec(res.headers.get("location") ?? "")?.[1];
  if (!id) throw new Error(`no reply id in ${res.headers.get("location")}`);
  return id;
}

function reasonsOf(row: Row | null): unknown[] {
  return JSON.parse(row?.reasons ?? "[]");
}

describe("first_time moderation after an editor reply", () => {
  it("holds a reader who types the editor's name and e-mail, with the reason the moderator sees", async () => {
    expect(editor).toEqual({ name: "Agenturteam", email: "editor@agentur.example" });
    const { id } = await insertArticle();
    const question = await insertComment(id, "pending", "Eine Frage");
    const reply = await replyInAdmin(question, "Gute Frage, danke!");
    expect(await getRow(reply)).toMatchObject({ status: "approved", by_editor: 1, author: editor.name, email: editor.email });

    const impostor = commentMessage(id, { author: editor.name, email: editor.email, comment: "Ich bin die Redaktion." });
    await consume([impostor]);
    const row = await getRow(impostor.id);
    expect(row?.status).toBe("pending");
    expect(row?.by_editor).toBe(0);
    expect(reasonsOf(row)).toEqual([
      { code: "editor_identity", field: "author" },
      { code: "editor_identity", field: "email" },
    ]);
    const page = await (await adminGet(`/admin/comments/${impostor.id}`, await login())).text();
    expect(page).toContain("Der Name sieht aus wie der der Redaktion (EDITOR_NAME)");
    expect(page).toContain("Die E-Mail-Adresse sieht aus wie die der Redaktion (EDITOR_EMAIL).");
  });

  it("holds every generated look-alike, even one a moderator approved before", async () => {
    const { id } = await insertArticle();
    await replyAsEditor(platform(), await insertComment(id, "pending"), "Antwort der Redaktion", editor);
    const names = lookalikeNames(editor.name).map((author) => ({ author, email: `reader.${crypto.randomUUID()}@example.com` }));
    const emails = lookalikeEmails(editor.email).map((email) => ({ author: `Leser ${crypto.randomUUID().slice(0, 8)}`, email }));
    // Known authors: without the look-alike rule every one of these would be approved at once.
    await approveReaders(id, [...names, ...emails]);
    const messages = [...names, ...emails].map((who) => commentMessage(id, { ...who, comment: "Offizielle Mitteilung." }));
    await consume(messages);
    const passed: string[] = [];
    for (const [i, m] of messages.entries()) {
      const row = await getRow(m.id);
      const field = i < names.length ? "author" : "email";
      if (row?.status !== "pending" || !reasonsOf(row).some((r) => JSON.stringify(r) === JSON.stringify({ code: "editor_identity", field }))) {
        passed.push(JSON.stringify(field === "author" ? m.author : m.email));
      }
    }
    expect(passed).toEqual([]);
  }, 60_000);

  it("never counts the editor's replies as a known author, even under a name the editor no longer uses", async () => {
    const { id } = await insertArticle();
    const former = { name: "Altes Team", email: "team@alt.example" };
    await replyAsEditor(platform(), await insertComment(id, "pending"), "Antwort unter dem alten Namen", former);
    const reader = commentMessage(id, { author: former.name, email: former.email });
    await consume([reader]);
    expect(await getRow(reader.id)).toMatchObject({ status: "pending", reasons: "[]", by_editor: 0 });
  });

  it("still lets a reader approved before through at once, whatever their name is near", async () => {
    const { id } = await insertArticle();
    await replyAsEditor(platform(), await insertComment(id, "pending"), "Antwort der Redaktion", editor);
    const readers = [
      ...UNLIKE_NAMES.map((author) => ({ author, email: `reader.${crypto.randomUUID()}@example.com` })),
      ...UNLIKE_EMAILS(editor.email).map((email) => ({ author: `Stammgast ${crypto.randomUUID().slice(0, 8)}`, email })),
    ];
    await approveReaders(id, readers);
    const messages = readers.map((who) => commentMessage(id, { ...who, email: who.email.toUpperCase() }));
    const stranger = commentMessage(id, { author: "Erika" });
    await consume([...messages, stranger]);
    for (const m of messages) expect(await getRow(m.id), m.author).toMatchObject({ status: "approved", reasons: "[]", by_editor: 0 });
    expect((await getRow(stranger.id))?.status).toBe("pending");
  });
});

describe("the editor's mark", () => {
  it.each([
    ["de", "Redaktion"],
    ["en", "Editor"],
  ] as const)("is shown on the editor's replies only (%s)", async (lang, label) => {
    const { id, slug } = await insertArticle({ lang });
    const question = await insertComment(id, "approved", "Leserfrage");
    const reply = await replyInAdmin(question, "Antwort aus dem Admin");
    // A reader under the editor's very name, approved by a moderator all the same.
    const sameName = commentMessage(id, { author: editor.name, comment: "Leser mit gleichem Namen" });
    await consume([sameName]);
    expect((await getRow(sameName.id))?.status).toBe("pending");
    expect(
      (
        await api(`/comments/${sameName.id}`, {
          method: "PATCH",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ status: "approved" }),
        })
      ).status,
    ).toBe(200);

    const html = await (await SELF.fetch(`${ORIGIN}/articles/${slug}`)).text();
    const item = (cid: string) => html.slice(html.indexOf(`id="comment-${cid}"`), html.indexOf("comment-body", html.indexOf(`id="comment-${cid}"`)));
    expect(item(reply)).toContain(`<b class="comment-author">${editor.name}</b> <span class="comment-badge">${label}</span>`);
    expect(item(sameName.id)).toContain(`<b class="comment-author">${editor.name}</b>`);
    expect(item(sameName.id)).not.toContain("comment-badge");
    expect(item(question)).not.toContain("comment-badge");
    expect(html.match(/class="comment-badge"/g)?.length).toBe(1);
  });

  it("cannot be had by a reader's name, which is escaped text", async () => {
    const { id, slug } = await insertArticle();
    const sneaky = commentMessage(id, { author: `Erika <span class="comment-badge">Redaktion</span>` });
    await consume([sneaky]);
    await api("/comments/moderate", {
      method: "POST",
      body: JSON.stringify({ action: "approve", ids: [sneaky.id] }),
      headers: { "Content-Type": "application/json" },
    });
    const html = await (await SELF.fetch(`${ORIGIN}/articles/${slug}`)).text();
    expect(html).toContain("Erika &lt;span");
    expect(html).not.toMatch(/<span class="comment-badge">/);
  });
});

describe("only the editor's reply path sets by_editor", () => {
  it("the admin reply and replyAsEditor set it; API, CLI and consumer never do", async () => {
    const { id } = await insertArticle();
    const viaAdmin = await replyInAdmin(await insertComment(id, "pending"), "Aus dem Admin");
    const viaDomain = await replyAsEditor(platform(), await insertComment(id, "pending"), "Direkt", editor);
    expect((await getRow(viaAdmin))?.by_editor).toBe(1);
    expect((await getRow(viaDomain.id))?.by_editor).toBe(1);

    // Readers under the editor's name, approved through every moderator path.
    const held = [1, 2, 3, 4].map(() => commentMessage(id, { author: editor.name, email: editor.email }));
    await consume(held);
    const [viaApi, viaPatch, viaCliLocal, viaCliRemote] = held.map((m) => m.id) as [string, string, string, string];
    const json = { "Content-Type": "application/json" };
    await api("/comments/moderate", { method: "POST", headers: json, body: JSON.stringify({ action: "approve", ids: [viaApi] }) });
    await api(`/comments/${viaPatch}`, { method: "PATCH", headers: json, body: JSON.stringify({ status: "approved", comment: "Geändert" }) });
    await localBackend(env.DB, Date.now()).moderate("approve", [viaCliLocal]);
    const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init)) as typeof fetch;
    await moderateRemotely({ action: "approve", ids: [viaCliRemote] }, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher);
    for (const cid of [viaApi, viaPatch, viaCliLocal, viaCliRemote]) expect(await getRow(cid), cid).toMatchObject({ status: "approved", by_editor: 0 });

    // The API says which is which.
    expect(await (await api(`/comments/${viaAdmin}`)).json()).toMatchObject({ author: editor.name, byEditor: true });
    expect(await (await api(`/comments/${viaApi}`)).json()).toMatchObject({ author: editor.name, byEditor: false });
    // Nothing but replyAsEditor writes the column: a row stored any other way has the default.
    const plain = crypto.randomUUID();
    await getDb(env.DB)
      .insert(comments)
      .values({ id: plain, articleId: id, author: editor.name, email: editor.email, bodyRaw: "x", bodyHtml: "<p>x</p>", createdAt: Date.now() });
    expect((await getRow(plain))?.by_editor).toBe(0);
  });
});
