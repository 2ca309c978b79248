// Comment pages as WordPress pages them: whole threads per page,
// the newest or the oldest page at the article URL, comment permalinks.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { type CommentStatus, comments } from "../../src/db/schema";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { ORIGIN } from "../helpers/http";

const SITE = "http://localhost:8787";
const T0 = Date.parse("2024-03-01T10:00:00Z");

/** Fetches a path with comment paging set by vars (two threads a page unless said otherwise). */
async function fetchPage(path: string, vars: { perPage?: string; order?: "newest" | "oldest" } = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(
    new Request(`${ORIGIN}${path}`, { redirect: "manual" }),
    { ...env, COMMENTS_PER_PAGE: vars.perPage ?? "2", COMMENTS_DEFAULT_PAGE: vars.order ?? "newest" },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  return res;
}

async function addComment(articleId: number, minute: number, opts: { parent?: string; status?: CommentStatus; text?: string } = {}): Promise<string> {
  const id = crypto.randomUUID();
  const text = opts.text ?? `Kommentar ${id}`;
  await getDb(env.DB)
    .insert(comments)
    .values({
      id,
      articleId,
      parentId: opts.parent ?? null,
      author: "Erika Muster",
      email: "erika@example.com",
      bodyRaw: text,
      bodyHtml: `<p>${text}</p>`,
      status: opts.status ?? "approved",
      createdAt: T0 + minute * 60_000,
    });
  return id;
}

/** Five threads; the first has replies four levels deep, written after every other thread began. */
async function seedThreads() {
  const article = await insertArticle();
  const roots: string[] = [];
  for (let i = 0; i < 5; i++) roots.push(await addComment(article.id, i * 10));
  let parent = roots[0] as string;
  const deep: string[] = [];
  for (let level = 0; level < 4; level++) {
    parent = await addComment(article.id, 100 + level, { parent });
    deep.push(parent);
  }
  const pending = await addComment(article.id, 200, { parent: roots[0], status: "pending" });
  // Approved under a comment that is not shown: it stands on its own, on the page of its time (the last).
  const orphan = await addComment(article.id, 201, { parent: pending });
  const spam = await addComment(article.id, 202, { status: "spam" });
  return { article, roots, deep, orphan, hidden: [pending, spam] };
}

const idsOn = (html: string) => [...html.matchAll(/<li id="comment-([0-9a-f-]{36})"/g)].map((m) => m[1]);

describe("comment pages", () => {
  it("keeps each thread whole on one page and lists the pages' threads oldest first", async () => {
    const { article, roots, deep, orphan, hidden } = await seedThreads();
    const [r0, r1, r2, r3, r4] = roots;
    const page1 = await fetchPage(`/articles/${article.slug}/comment-page-1`);
    expect(page1.status).toBe(200);
    const html1 = await page1.text();
    expect(idsOn(html1)).toEqual([r0, ...deep, r1]);
    const html2 = await (await fetchPage(`/articles/${article.slug}/comment-page-2`)).text();
    expect(idsOn(html2)).toEqual([r2, r3]);
    // The newest page is the article URL's.
    const html3 = await (await fetchPage(`/articles/${article.slug}`)).text();
    expect(idsOn(html3)).toEqual([r4, orphan]);
    for (const html of [html1, html2, html3]) {
      for (const id of hidden) expect(html).not.toContain(id);
      // The count is the article's, not the page's.
      expect(html).toContain("(10 Kommentare)");
    }
  });

  it("shows every thread once, in order, on pages read from either end of the index", async () => {
    // Nine threads, two a page: pages 1-2 are read from the oldest end, 3-5 from the newest.
    const article = await insertArticle();
    const roots: string[] = [];
    for (let i = 0; i < 9; i++) roots.push(await addComment(article.id, i * 10));
    const pending = await addComment(article.id, 61, { parent: roots[0], status: "pending" });
    // Approved under a comment not shown, written between threads 7 and 8: page 4 (threads 7 and 8) holds it.
    const orphan = await addComment(article.id, 62, { parent: pending });
    const pages: (string | undefined)[][] = [];
    for (let n = 1; n <= 5; n++) {
      const res = await fetchPage(`/articles/${article.slug}/comment-page-${n}`, { order: "oldest" });
      expect(res.status, `page ${n}`).toBe(n === 1 ? 301 : 200);
      if (n === 1) pages.push(idsOn(await (await fetchPage(`/articles/${article.slug}`, { order: "oldest" })).text()));
      else pages.push(idsOn(await res.text()));
    }
    expect(pages).toEqual([roots.slice(0, 2), roots.slice(2, 4), roots.slice(4, 6), [roots[6], orphan, roots[7]], [roots[8]]]);
    expect((await fetchPage(`/articles/${article.slug}/comment-page-6`, { order: "oldest" })).status).toBe(404);
  });

  it("shows the newest page at the article URL by default, and 301s its number there", async () => {
    const { article, roots } = await seedThreads();
    const moved = await fetchPage(`/articles/${article.slug}/comment-page-3`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe(`/articles/${article.slug}`);
    expect(moved.headers.get("Cache-Tag")).toContain(`c:${article.id}`);
    expect(idsOn(await (await fetchPage(`/articles/${article.slug}`)).text())[0]).toBe(roots[4]);
  });

  it("shows the oldest page at the article URL when COMMENTS_DEFAULT_PAGE is oldest", async () => {
    const { article, roots } = await seedThreads();
    const html = await (await fetchPage(`/articles/${article.slug}`, { order: "oldest" })).text();
    expect(idsOn(html)[0]).toBe(roots[0]);
    expect(idsOn(html)).toContain(roots[1]);
    const moved = await fetchPage(`/articles/${article.slug}/comment-page-1`, { order: "oldest" });
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe(`/articles/${article.slug}`);
    expect(idsOn(await (await fetchPage(`/articles/${article.slug}/comment-page-3`, { order: "oldest" })).text())[0]).toBe(roots[4]);
  });

  it("answers 404 past the last page, for page 0, and for every numbered page when paging is off", async () => {
    const { article } = await seedThreads();
    expect((await fetchPage(`/articles/${article.slug}/comment-page-4`)).status).toBe(404);
    expect((await fetchPage(`/articles/${article.slug}/comment-page-0`)).status).toBe(404);
    expect((await fetchPage(`/articles/${article.slug}/comment-page-999999`)).status).toBe(404);
    expect((await fetchPage(`/articles/${article.slug}/comment-page-2`, { perPage: "0" })).status).toBe(404);
    const all = await (await fetchPage(`/articles/${article.slug}`, { perPage: "0" })).text();
    expect(idsOn(all)).toHaveLength(10);
    const past = await fetchPage(`/articles/${article.slug}/comment-page-4`);
    // A page that a newly approved comment fills: purged with the article's comments.
    expect(past.headers.get("Cache-Tag")).toContain(`c:${article.id}`);
  });

  it("links the pages with rel prev and next, in the pager and the head, with the article as canonical", async () => {
    const { article } = await seedThreads();
    const html = await (await fetchPage(`/articles/${article.slug}/comment-page-2`)).text();
    const base = `/articles/${article.slug}`;
    expect(html).toContain(`<link rel="canonical" href="${SITE}${base}"/>`);
    expect(html).toContain(`<link rel="prev" href="${SITE}${base}/comment-page-1"/>`);
    expect(html).toContain(`<link rel="next" href="${SITE}${base}"/>`);
    expect(html).toContain(`<a rel="prev" href="${base}/comment-page-1#comments">`);
    expect(html).toContain(`<a rel="next" href="${base}#comments">`);
    const first = await (await fetchPage(`${base}/comment-page-1`)).text();
    expect(first).not.toContain(`rel="prev"`);
    expect(first).toContain(`<link rel="next" href="${SITE}${base}/comment-page-2"/>`);
    const last = await (await fetchPage(base)).text();
    expect(last).not.toContain(`rel="next"`);
    expect(last).toContain(`<link rel="prev" href="${SITE}${base}/comment-page-2"/>`);
  });

  it("follows WordPress's slash form to the same page", async () => {
    const { article, roots } = await seedThreads();
    const slash = await fetchPage(`/articles/${article.slug}/comment-page-2/`);
    expect(slash.status).toBe(301);
    const location = slash.headers.get("Location") ?? "";
    expect(new URL(location, ORIGIN).pathname).toBe(`/articles/${article.slug}/comment-page-2`);
    const page = await fetchPage(new URL(location, ORIGIN).pathname);
    expect(idsOn(await page.text())).toEqual([roots[2], roots[3]]);
  });

  it("tags every comment page with the article's comments, so moderation purges them all", async () => {
    const { article } = await seedThreads();
    for (const path of [`/articles/${article.slug}/comment-page-1`, `/articles/${article.slug}/comment-page-2`, `/articles/${article.slug}`]) {
      const res = await fetchPage(path);
      expect(res.status, path).toBe(200);
      expect((res.headers.get("Cache-Tag") ?? "").split(","), path).toEqual(expect.arrayContaining([`c:${article.id}`, `a:${article.slug}`]));
    }
  });

  it("keeps reply links on the page they were clicked on", async () => {
    const { article, roots } = await seedThreads();
    const base = `/articles/${article.slug}/comment-page-2`;
    const html = await (await fetchPage(base)).text();
    expect(html).toContain(`href="${base}?replyto=${roots[2]}#respond"`);
    const reply = await (await fetchPage(`${base}?replyto=${roots[2]}`)).text();
    expect(reply).toContain(`name="parent" value="${roots[2]}"`);
  });
});

describe("GET /comments/<id>: a comment's permalink", () => {
  it("lands on the page that holds the comment, with its fragment", async () => {
    const { article, roots, deep, orphan } = await seedThreads();
    const base = `/articles/${article.slug}`;
    const cases: [string, "newest" | "oldest", string][] = [
      [roots[4] as string, "oldest", `${base}/comment-page-3#comment-${roots[4]}`],
      [roots[4] as string, "newest", `${base}#comment-${roots[4]}`],
      [roots[2] as string, "newest", `${base}/comment-page-2#comment-${roots[2]}`],
      [deep[3] as string, "newest", `${base}/comment-page-1#comment-${deep[3]}`],
      [deep[3] as string, "oldest", `${base}#comment-${deep[3]}`],
      [orphan, "oldest", `${base}/comment-page-3#comment-${orphan}`],
    ];
    for (const [id, order, location] of cases) {
      const res = await fetchPage(`/comments/${id}`, { order });
      expect(res.status, `${id} ${order}`).toBe(301);
      expect(res.headers.get("Location"), `${id} ${order}`).toBe(location);
      expect(res.headers.get("Cache-Tag")).toContain(`c:${article.id}`);
    }
    // The page it lands on shows it.
    expect(await (await fetchPage(`${base}/comment-page-3`, { order: "oldest" })).text()).toContain(`id="comment-${roots[4]}"`);
  });

  it("answers 404 for comments that are not shown and ids that do not exist", async () => {
    const { hidden } = await seedThreads();
    for (const id of [...hidden, crypto.randomUUID()]) expect((await fetchPage(`/comments/${id}`)).status, id).toBe(404);
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    const onDraft = await addComment(draft.id, 1);
    expect((await fetchPage(`/comments/${onDraft}`)).status).toBe(404);
    for (const bad of ["constructor", "__proto__", "toString", "x%00y", "FFFFFFFF-FFFF-4FFF-8FFF-FFFFFFFFFFFF"])
      expect((await fetchPage(`/comments/${bad}`)).status, bad).toBe(404);
  });
});
