// Pinned articles (front matter pinned:, WordPress's sticky posts) lead the
// home page, newest first among them, and the pages after it go on in one
// order: no article twice, none left out. Tag pages stay in date order. An
// article's own image shows in the list (lazy) and on the article, and is
// its og:image at full size.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { watchD1 } from "../helpers/d1-watch";
import { get, ORIGIN } from "../helpers/http";

function articleLinks(html: string): string[] {
  return [...html.matchAll(/<h2><a href="\/articles\/([^"]+)">/g)].map((m) => m[1] ?? "");
}

async function listedSlugs(path: string): Promise<string[]> {
  const res = await get(path);
  expect(res.status, path).toBe(200);
  return articleLinks(await res.text());
}

describe("pinned articles on the home page", () => {
  it("lists them first, newest first among them, and pages on without repeating or losing an article", async () => {
    const tag = { slug: uniqueSlug("tag"), name: "Angepinnt" };
    const now = Date.now();
    const pinnedOld = await insertArticle({ pinned: true, publishedAt: now - 50 * 86_400_000, tags: [tag] });
    const pinnedNew = await insertArticle({ pinned: true, publishedAt: now - 40 * 86_400_000, tags: [tag] });
    const newest = await insertArticle({ publishedAt: now - 1_000, tags: [tag] });
    const pinnedDraft = await insertArticle({ pinned: true, status: "draft", publishedAt: null });
    const pinnedLater = await insertArticle({ pinned: true, publishedAt: now + 3_600_000 });
    for (let i = 0; i < 22; i++) await insertArticle({ publishedAt: now - (i + 2) * 60_000 });

    const first = await listedSlugs("/");
    expect(first.slice(0, 2)).toEqual([pinnedNew.slug, pinnedOld.slug]);
    expect(first).toContain(newest.slug);
    expect(first).not.toContain(pinnedDraft.slug);
    expect(first).not.toContain(pinnedLater.slug);

    const pages = [first];
    const count = Number((await (await get("/")).text()).match(/Seite 1 von (\d+)/)?.[1] ?? 1);
    for (let page = 2; page <= count; page++) {
      const res = await get(`/?page=${page}`);
      expect(res.status, `page ${page}`).toBe(200);
      pages.push(articleLinks(await res.text()));
    }
    const all = pages.flat();
    expect(new Set(all).size).toBe(all.length);
    expect(all.filter((slug) => slug === pinnedOld.slug || slug === pinnedNew.slug)).toHaveLength(2);
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect((await (await get("/")).text()).match(/class="meta pinned-label"/g)?.length).toBeGreaterThanOrEqual(2);

    // A tag's page is in date order: the pin is the home's.
    const tagged = await listedSlugs(`/tags/${tag.slug}`);
    expect(tagged).toEqual([newest.slug, pinnedNew.slug, pinnedOld.slug]);
    expect(await (await get(`/tags/${tag.slug}`)).text()).not.toContain("pinned-label");
    // Some thirty inserts and four pages: more than the default five seconds on a busy machine.
  }, 60_000);
});

describe("an article's own image", () => {
  it("shows in the list (lazy, with its size), on the article, and is the og:image at full size", async () => {
    const image = { url: "/media/2023/05/foto.jpg", alt: "Das Team vor dem Büro", width: 640, height: 480 };
    const { slug } = await insertArticle({ pinned: true, image, bodyMd: "Text.\n\n![klein](/media/2023/05/foto-300x200.jpg)" });
    const home = await (await get("/")).text();
    expect(home).toContain('<img class="article-image" src="/media/2023/05/foto.jpg" alt="Das Team vor dem Büro" width="640" height="480" loading="lazy"');
    const page = await (await get(`/articles/${slug}`)).text();
    expect(page).toContain('<img class="article-image" src="/media/2023/05/foto.jpg" alt="Das Team vor dem Büro" width="640" height="480" decoding="async"');
    expect(page).toMatch(/<meta property="og:image" content="https?:\/\/[^"]+\/media\/2023\/05\/foto\.jpg"/);
    expect(page).not.toMatch(/og:image" content="[^"]*300x200/);
  });

  it("falls back to the body's first image without one, and takes an https URL for og:image alone (the page loads nothing from another host)", async () => {
    const plain = await insertArticle({ bodyMd: "Text.\n\n![klein](/media/x-300x200.jpg)" });
    expect(await (await get(`/articles/${plain.slug}`)).text()).toMatch(/og:image" content="[^"]*\/media\/x-300x200\.jpg"/);
    const remote = await insertArticle({ image: { url: "https://cdn.example/bild.png" } });
    const page = await (await get(`/articles/${remote.slug}`)).text();
    expect(page).toContain('<meta property="og:image" content="https://cdn.example/bild.png"');
    expect(page).not.toMatch(/<img[^>]+cdn\.example/);
  });
});

describe("the home list's query", () => {
  it("walks articles_home in its order instead of sorting every visible article", async () => {
    await insertArticle({ pinned: true });
    const watched = watchD1(env.DB);
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}/?page=2`), { ...env, DB: watched.db } as Env, ctx);
    await res.arrayBuffer();
    await waitOnExecutionContext(ctx);
    const statement = watched.executions.flatMap((e) => e.statements).find((s) => s.sql.includes('"pinned" desc'));
    if (!statement) throw new Error("the home list's statement was not run");
    const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`)
      .bind(...statement.params)
      .all<{ detail: string }>();
    const lines = plan.results.map((r) => r.detail);
    // The page's ids: a walk down the index in the list's order (only the id tie-break sorted), not a sort of all; the outer sort orders the page's ten.
    const ids = lines.findIndex((l) => l.startsWith("LIST SUBQUERY"));
    expect(lines[ids + 1], lines.join("\n")).toBe("SEARCH articles USING COVERING INDEX articles_home (kind=? AND status=?)");
    expect(lines.slice(ids + 1, ids + 5), lines.join("\n")).not.toContain("USE TEMP B-TREE FOR ORDER BY");
  });
});
