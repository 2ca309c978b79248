import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { adminGet, adminPost, commentStatus, getCsrf, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";

let cookie = "";
let csrf = "";
beforeAll(async () => {
  cookie = await login();
  csrf = await getCsrf(cookie);
});

async function publicPage(slug: string): Promise<string> {
  return (await get(`/articles/${slug}`)).text();
}

describe("the moderation page", () => {
  it("lists pending comments newest first with what a moderator needs", async () => {
    const { id } = await insertArticle({ title: "Artikel mit Wartenden" });
    const older = await insertComment(id, "pending", "Älterer Kommentar mit https://a.example und https://b.example");
    const newer = await insertComment(id, "pending", "Neuerer Kommentar");
    await env.DB.prepare("UPDATE comments SET created_at = created_at - 5000, reasons = ?, ip_hash = ?, url = 'https://erika.example/' WHERE id = ?")
      .bind(JSON.stringify([{ code: "too_many_links", count: 2, limit: 2 }]), "f".repeat(64), older)
      .run();
    const res = await adminGet("/admin", cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.indexOf(newer)).toBeLessThan(html.indexOf(older));
    expect(html).toContain("erika@example.com");
    expect(html).toContain("https://erika.example/");
    expect(html).toContain("<code>ffffffffffff</code>");
    expect(html).toContain("2 Links (Grenze 2)");
    expect(html).toContain("Alle Kommentare warten auf Freigabe");
    expect(html).toContain("Artikel mit Wartenden");
    expect(html).toMatch(/Ausstehend \(\d+\)/);
  });

  it("filters by status and by article", async () => {
    const a = await insertArticle();
    const b = await insertArticle();
    const spamA = await insertComment(a.id, "spam", "Spam bei A");
    const spamB = await insertComment(b.id, "spam", "Spam bei B");
    const pendingA = await insertComment(a.id, "pending", "Wartet bei A");
    const html = await (await adminGet(`/admin?status=spam&article=${a.slug}`, cookie)).text();
    expect(html).toContain(spamA);
    expect(html).not.toContain(spamB);
    expect(html).not.toContain(pendingA);
  });

  it("approve makes a comment public at the next request; spam and trash take it away", async () => {
    const { id, slug } = await insertArticle();
    const comment = await insertComment(id, "pending", "Bald sichtbar");
    expect(await publicPage(slug)).not.toContain("Bald sichtbar");
    const res = await adminPost(`/admin/comments/${comment}/approve?return=/admin`, cookie, { csrf });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin?done=1");
    expect(await publicPage(slug)).toContain("Bald sichtbar");
    await adminPost(`/admin/comments/${comment}/spam`, cookie, { csrf });
    expect(await commentStatus(comment)).toBe("spam");
    expect(await publicPage(slug)).not.toContain("Bald sichtbar");
    await adminPost(`/admin/comments/${comment}/restore`, cookie, { csrf });
    expect(await commentStatus(comment)).toBe("pending");
    await adminPost(`/admin/comments/${comment}/approve`, cookie, { csrf });
    await adminPost(`/admin/comments/${comment}/trash`, cookie, { csrf });
    expect(await publicPage(slug)).not.toContain("Bald sichtbar");
    await adminPost(`/admin/comments/${comment}/delete`, cookie, { csrf });
    expect(await commentStatus(comment)).toBeNull();
  });

  it("unapprove takes a comment off the page; its approved replies stay in the thread rules", async () => {
    const { id, slug } = await insertArticle();
    const parent = await insertComment(id, "approved", "Elternkommentar");
    const reply = await insertComment(id, "approved", "Antwort darauf");
    await env.DB.prepare("UPDATE comments SET parent_id = ? WHERE id = ?").bind(parent, reply).run();
    await adminPost(`/admin/comments/${parent}/unapprove`, cookie, { csrf });
    const html = await publicPage(slug);
    expect(html).not.toContain("Elternkommentar");
    expect(html).toContain("Antwort darauf");
  });

  it("applies bulk actions to the checked rows only", async () => {
    const { id, slug } = await insertArticle();
    const ids = await Promise.all([1, 2, 3].map((n) => insertComment(id, "pending", `Sammel ${n}`)));
    const res = await adminPost("/admin/comments/bulk?return=/admin%3Fstatus%3Dpending", cookie, { csrf, action: "approve", id: [ids[0] ?? "", ids[1] ?? ""] });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe("/admin?status=pending&done=2");
    expect(await Promise.all(ids.map(commentStatus))).toEqual(["approved", "approved", "pending"]);
    const html = await publicPage(slug);
    expect(html).toContain("Sammel 1");
    expect(html).not.toContain("Sammel 3");
    expect((await adminPost("/admin/comments/bulk", cookie, { csrf, action: "launch" })).status).toBe(422);
    const none = await adminPost("/admin/comments/bulk", cookie, { csrf, action: "spam" });
    expect(none.headers.get("location")).toBe("/admin?done=0");
  });

  it("edits a comment's text, sanitized like a reader's", async () => {
    const { id, slug } = await insertArticle();
    const comment = await insertComment(id, "approved", "Tippfeler");
    const res = await adminPost(`/admin/comments/${comment}/edit`, cookie, { csrf, comment: "Tippfehler <b>behoben</b> <script>x</script>" });
    expect(res.status).toBe(303);
    const html = await publicPage(slug);
    expect(html).toContain("Tippfehler <b>behoben</b> &lt;script&gt;x&lt;/script&gt;");
    const empty = await adminPost(`/admin/comments/${comment}/edit`, cookie, { csrf, comment: " " });
    expect(empty.status).toBe(422);
    expect(await empty.text()).toContain("Bitte ausfüllen.");
  });

  it("replies as the editor, published at once, approving a pending parent", async () => {
    const { id, slug } = await insertArticle();
    const parent = await insertComment(id, "pending", "Frage an die Redaktion");
    const res = await adminPost(`/admin/comments/${parent}/reply`, cookie, { csrf, comment: "Danke für die Frage!" });
    expect(res.status).toBe(303);
    const html = await publicPage(slug);
    expect(html).toContain("Frage an die Redaktion");
    expect(html).toMatch(/<b class="comment-author">Agenturteam<\/b> <span class="comment-badge">Redaktion<\/span>[\s\S]*Danke für die Frage!/);
    expect(await commentStatus(parent)).toBe("approved");
    const reply = /\/admin\/comments\/([0-9a-f-]{36})/.exec(res.headers.get("location") ?? "")?.[1] ?? "";
    expect(await env.DB.prepare("SELECT by_editor FROM comments WHERE id = ?").bind(reply).first("by_editor")).toBe(1);
    // The moderator sees the mark too.
    expect(await (await adminGet(`/admin/comments/${reply}`, cookie)).text()).toContain('<span class="comment-badge">Redaktion</span>');
  });

  it("shows a comment's detail page and 404 for an unknown id", async () => {
    const { id } = await insertArticle();
    const comment = await insertComment(id, "pending", "Detailtext");
    const page = await adminGet(`/admin/comments/${comment}`, cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Detailtext");
    expect(html).toContain("Als Redaktion antworten");
    expect((await adminGet(`/admin/comments/${crypto.randomUUID()}`, cookie)).status).toBe(404);
    expect((await adminPost(`/admin/comments/${crypto.randomUUID()}/approve`, cookie, { csrf })).status).toBe(404);
  });

  it("shows what the dead-letter consumer recorded until an editor deals with it", async () => {
    const { id } = await insertArticle();
    const recordId = `edge-blog-comments-dlq:${crypto.randomUUID()}`;
    const body = {
      v: 1,
      id: crypto.randomUUID(),
      articleId: id,
      lang: "de",
      ipHash: null,
      userAgent: null,
      submittedAt: Date.now(),
      author: "Verloren",
      email: "v@example.com",
      url: null,
      comment: "Fast verloren",
      parentId: null,
    };
    await env.DB.prepare(
      "INSERT INTO failed_messages (id, queue, body, error, attempts, created_at) VALUES (?, 'edge-blog-comments-dlq', ?, 'dead-lettered', 6, ?)",
    )
      .bind(recordId, JSON.stringify(body), Date.now())
      .run();
    const html = await (await adminGet("/admin", cookie)).text();
    expect(html).toContain("Nicht zugestellte Kommentare");
    expect(html).toContain("Fast verloren");
    const retry = await adminPost(`/admin/failed/${encodeURIComponent(recordId)}/retry`, cookie, { csrf });
    expect(retry.status).toBe(303);
    expect(await commentStatus(body.id)).toBe("pending");
    expect(await (await adminGet("/admin", cookie)).text()).not.toContain(recordId.slice(-12));
  });
});
