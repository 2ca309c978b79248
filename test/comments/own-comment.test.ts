// A submitter sees their own waiting comment after posting, as WordPress shows
// it through ?unapproved=<id>&moderation-hash=<hash>: through the real form
// POST (and JSON), the real queue consumer and the article page; nobody else
// sees it, a wrong, expired or borrowed link shows nothing, and no answer to
// such a link is ever kept by a cache.
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { toQueueBody } from "../../src/comments/message";
import { MODERATION_HASH_MAX_AGE_MS, ownCommentPath, signModerationHash } from "../../src/comments/own-comment";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { commentMessage, insertComment } from "../helpers/comments";
import { get, ORIGIN } from "../helpers/http";
import { oldToken, postForm, postJson, validFields, waitForComment } from "../helpers/post-comment";
import { workersCacheStandIn } from "../helpers/workers-cache";

const WAITING = "Dein Kommentar wartet auf Freischaltung.";
const PROCESSING = "Dein Kommentar ist angekommen und wird gerade verarbeitet.";

/** The submitter's link (without its #fragment), as the redirect after posting carries it. */
async function linkFor(slug: string, id: string, signedAt = Date.now()): Promise<string> {
  return ownCommentPath(slug, id, await signModerationHash(env.FORM_SECRET, id, signedAt)).replace(/#.*/, "");
}

function expectPrivate(res: Response, label = ""): void {
  expect(res.headers.get("cache-control"), label).toBe("private, no-store");
  expect(res.headers.get("cloudflare-cdn-cache-control"), label).toBeNull();
  expect(res.headers.get("cache-tag"), label).toBeNull();
}

async function setCreatedAt(id: string, at: number): Promise<void> {
  await env.DB.prepare("UPDATE comments SET created_at = ? WHERE id = ?").bind(at, id).run();
}

/** The Worker with other vars (the page reads its settings per env). */
async function fetchWith(vars: Partial<Env>, path: string): Promise<Response> {
  return worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, ...vars } as Env, createExecutionContext());
}

describe("the submitter's own waiting comment", () => {
  it("shows the posted reply in its thread place, sanitized and marked, to the submitter alone", async () => {
    const { id, slug } = await insertArticle();
    const parent = await insertComment(id, "approved", "Die Frage.");
    const text = 'Meine <b>Antwort</b> <script>alert("x")</script><a href="javascript:alert(1)">Klick</a>';
    const fields = validFields({ token: await oldToken(id), comment: text, parent, url: "https://erika.example/" });
    const posted = await postForm(slug, fields);
    expect(posted.status).toBe(303);
    const location = posted.headers.get("location") ?? "";
    const own = new URL(location, ORIGIN).searchParams.get("unapproved") ?? "";
    expect(location.endsWith(`#comment-${own}`)).toBe(true);
    const row = await waitForComment(own);
    expect(row.status).toBe("pending");

    const res = await get(location.replace(/#.*/, ""));
    expect(res.status).toBe(200);
    expectPrivate(res);
    const html = await res.text();
    // Nested under its parent, as the approved replies are, with the stored (sanitized) HTML.
    expect(html).toMatch(
      new RegExp(`<li id="comment-${parent}" class="comment">.*?<ol class="children"><li id="comment-${own}" class="comment unapproved">`, "s"),
    );
    expect(html).toContain(`<p class="comment-awaiting-moderation" role="status">${WAITING}</p>`);
    expect(html).toContain(`<div class="comment-body">${row.body_html}</div>`);
    expect(html).toContain("<b>Antwort</b>");
    expect(html).not.toContain("<script>alert");
    expect(html).not.toContain("javascript:");
    // Not linked out, and not to be replied to, while it waits.
    expect(html).not.toContain("erika.example");
    expect(html).not.toContain(`replyto=${own}`);
    expect(html).toContain(`replyto=${parent}`);
    expect(html).not.toContain(PROCESSING);

    const everyone = await get(`/articles/${slug}`);
    expect(everyone.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const shared = await everyone.text();
    expect(shared).not.toContain(own);
    expect(shared).not.toContain("Antwort</b>");
    expect(shared).not.toContain(WAITING);
  });

  it("says the comment is being processed until the consumer has stored it", async () => {
    const { slug } = await insertArticle();
    // A genuine link whose comment is still in the queue: no row yet.
    const queued = crypto.randomUUID();
    const res = await get(await linkFor(slug, queued));
    expect(res.status).toBe(200);
    expectPrivate(res);
    const html = await res.text();
    expect(html).toContain(`<p id="comment-${queued}" class="notice" role="status">${PROCESSING}`);
    expect(html).not.toContain(WAITING);
  });

  it("shows nothing for a wrong or expired hash, another id, a repeated parameter or another article, and keeps none of these pages", async () => {
    const { id, slug } = await insertArticle();
    const other = await insertArticle();
    const mine = await insertComment(id, "pending", "Mein wartender Text.");
    const theirs = await insertComment(id, "pending", "Ein fremder wartender Text.");
    const hash = await signModerationHash(env.FORM_SECRET, mine, Date.now());
    const [expires, signature] = hash.split(".");
    const expired = await linkFor(slug, mine, Date.now() - MODERATION_HASH_MAX_AGE_MS - 1000);
    const stillValid = await linkFor(slug, mine, Date.now() - MODERATION_HASH_MAX_AGE_MS + 60_000);
    const refused = {
      "wrong hash": `/articles/${slug}?unapproved=${mine}&moderation-hash=${expires}.${"A".repeat(43)}`,
      "a later expiry": `/articles/${slug}?unapproved=${mine}&moderation-hash=${Number(expires) + 3600}.${signature}`,
      "someone else's id": `/articles/${slug}?unapproved=${theirs}&moderation-hash=${hash}`,
      "no hash": `/articles/${slug}?unapproved=${mine}`,
      "a prototype name": `/articles/${slug}?unapproved=constructor&moderation-hash=${hash}`,
      expired,
      "the id twice": `/articles/${slug}?unapproved=${mine}&unapproved=${mine}&moderation-hash=${hash}`,
      "another article": await linkFor(other.slug, mine),
    };
    for (const [label, path] of Object.entries(refused)) {
      const res = await get(path);
      expect(res.status, label).toBe(200);
      expectPrivate(res, label);
      const html = await res.text();
      for (const hidden of ["wartender Text", WAITING, PROCESSING]) expect(html, label).not.toContain(hidden);
    }
    const res = await get(stillValid);
    expect(await res.text()).toContain("Mein wartender Text.");
  });

  it("shows a comment the rules held as spam as waiting too; an approved one is simply public, a trashed one gone", async () => {
    const { id, slug } = await insertArticle();
    // Through the real consumer, with a disallowed word in this env.
    const message = commentMessage(id, { comment: "Billige Pillen hier." });
    const vars = { COMMENT_DISALLOWED_WORDS: "pillen" };
    const ctx = createExecutionContext();
    const batch = createMessageBatch("edge-blog-comments", [
      { id: `msg-${crypto.randomUUID()}`, timestamp: new Date(), attempts: 1, body: toQueueBody(message) },
    ]);
    await worker.queue(batch, { ...env, ...vars } as Env, ctx);
    expect((await getQueueResult(batch, ctx)).explicitAcks).toHaveLength(1);
    expect((await waitForComment(message.id)).status).toBe("spam");
    const spam = await (await fetchWith(vars, await linkFor(slug, message.id))).text();
    expect(spam).toContain("Billige Pillen hier.");
    expect(spam).toContain(WAITING);
    expect(await (await get(`/articles/${slug}`)).text()).not.toContain("Billige Pillen");

    const approved = await insertComment(id, "approved", "Schon freigegeben.");
    const approvedPage = await (await get(await linkFor(slug, approved))).text();
    expect(approvedPage.match(/Schon freigegeben\./g)).toHaveLength(1);
    expect(approvedPage).toContain(`<li id="comment-${approved}" class="comment">`);
    expect(approvedPage).not.toContain(WAITING);
    expect(approvedPage).not.toContain(PROCESSING);

    const trashed = await insertComment(id, "trash", "Im Papierkorb.");
    const trashedPage = await (await get(await linkFor(slug, trashed))).text();
    for (const hidden of ["Im Papierkorb.", WAITING, PROCESSING]) expect(trashedPage).not.toContain(hidden);
  });

  it("opens the comment page its thread is on: a reply's parent's page, a new thread's last page", async () => {
    const { id, slug } = await insertArticle();
    const vars = { COMMENTS_PER_PAGE: "1", COMMENTS_DEFAULT_PAGE: "newest" };
    const threads: string[] = [];
    for (const [i, text] of ["Erster Faden.", "Zweiter Faden.", "Dritter Faden."].entries()) {
      const thread = await insertComment(id, "approved", text);
      await setCreatedAt(thread, Date.now() - 100_000 + i);
      threads.push(thread);
    }
    const reply = await insertComment(id, "pending", "Späte Antwort auf den ersten.", threads[0]);
    const replyPage = await (await fetchWith(vars, await linkFor(slug, reply))).text();
    expect(replyPage).toContain("Seite 1 von 3");
    expect(replyPage).toMatch(new RegExp(`<li id="comment-${threads[0]}" class="comment">.*?<li id="comment-${reply}" class="comment unapproved">`, "s"));
    expect(replyPage).not.toContain("Dritter Faden.");

    const newThread = await insertComment(id, "pending", "Ein neuer Faden.");
    const lastPage = await (await fetchWith({ ...vars, COMMENTS_DEFAULT_PAGE: "oldest" }, await linkFor(slug, newThread))).text();
    expect(lastPage).toContain("Seite 3 von 3");
    expect(lastPage.indexOf("Dritter Faden.")).toBeLessThan(lastPage.indexOf("Ein neuer Faden."));
    expect(lastPage).toContain(WAITING);
  });

  it("behind the edge cache: the shared page is never served for the link, and the link's page is never kept", async () => {
    const edge = workersCacheStandIn();
    const { id, slug } = await insertArticle();
    expect((await edge.fetchThrough(`/articles/${slug}`)).hit).toBe(false);
    expect((await edge.fetchThrough(`/articles/${slug}`)).hit).toBe(true);
    const body = new URLSearchParams(Object.entries(validFields({ token: await oldToken(id), comment: "Hinter dem Rand." })).map(([k, v]) => [k, String(v)]));
    const posted = await edge.fetchThrough(`/articles/${slug}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": "198.51.100.77" },
      body,
      redirect: "manual",
    });
    expect(posted.res.status).toBe(303);
    const link = (posted.res.headers.get("location") ?? "").replace(/#.*/, "");
    await waitForComment(new URL(link, ORIGIN).searchParams.get("unapproved") ?? "");
    for (const attempt of [1, 2]) {
      const mine = await edge.fetchThrough(link);
      expect(mine.hit, `attempt ${attempt}`).toBe(false);
      expectPrivate(mine.res);
      expect(await mine.res.text()).toContain("Hinter dem Rand.");
    }
    expect(edge.store.has(`${ORIGIN}${link}`)).toBe(false);
    const shared = await edge.fetchThrough(`/articles/${slug}`);
    expect(shared.hit).toBe(true);
    expect(await shared.res.text()).not.toContain("Hinter dem Rand.");
  });

  it("gives a JSON client the id, the hash and the link, which shows the comment once stored", async () => {
    const { id, slug } = await insertArticle({ lang: "en" });
    const res = await postJson(slug, validFields({ token: await oldToken(id), comment: "Posted by an app." }));
    expect(res.status).toBe(202);
    expectPrivate(res);
    const answer = await res.json<{ id: string; status: string; location: string; unapproved: string; "moderation-hash": string }>();
    expect(answer).toMatchObject({ status: "pending", unapproved: answer.id });
    expect(answer["moderation-hash"]).toMatch(/^\d+\.[\w-]{43}$/);
    expect(answer.location).toBe(`/articles/${slug}?unapproved=${answer.id}&moderation-hash=${answer["moderation-hash"]}#comment-${answer.id}`);
    await waitForComment(answer.id);
    const page = await (await get(answer.location.replace(/#.*/, ""))).text();
    expect(page).toContain("Posted by an app.");
    expect(page).toContain("Your comment is awaiting moderation.");
  });
});
