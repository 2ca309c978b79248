// Rows an editor writes by hand with `wrangler d1 execute` (body_md only, or
// HTML of an older renderer or of another body): the Worker renders them with
// the one configured marked on their first view, stores the rendering once,
// and serves it on every reader path. Real local D1, rows written with SQL.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it, vi } from "vitest";
import { htmlVersionFor, RENDERER_VERSION, renderArticleHtml } from "../../src/articles/markdown";
import { renderStaleBodies } from "../../src/articles/render";
import { getDb } from "../../src/db/client";
import worker from "../../src/index";
import { sha256Hex, uniqueSlug } from "../helpers/articles";
import { countingD1 } from "../helpers/d1-counter";
import { findElements } from "../helpers/dom";
import { fetchRss } from "../helpers/feeds";
import { get, ORIGIN } from "../helpers/http";

const SITE = "http://localhost:8787";

/** Headings, a list, code and inline markup: what escaped Markdown would show as plain text. */
function markdownFor(slug: string): string {
  return [
    `Einleitung zu ${slug} mit *Betonung*.`,
    "",
    "## Erster Abschnitt",
    "",
    "- eins",
    "- zwei",
    "",
    "```js",
    "const antwort = 42;",
    "```",
    "",
    "## Erster Abschnitt",
    "",
    "Noch ein `Stück` Code.",
  ].join("\n");
}

interface HandRow {
  slug: string;
  bodyMd: string;
  /** What the editor typed into body_hash (NOT NULL): by default nothing useful. */
  bodyHash?: string;
  bodyHtml?: string | null;
  htmlVersion?: string | null;
  kind?: "article" | "page";
}

/** Inserts a row as an editor would with `wrangler d1 execute --command "INSERT …"`. */
async function insertByHand(row: HandRow): Promise<number> {
  const at = Date.now() - 60_000;
  const result = await env.DB.prepare(
    `INSERT INTO articles (slug, title, body_md, body_hash, body_html, html_version, lang, status, published_at, updated_at, kind)
     VALUES (?, ?, ?, ?, ?, ?, 'de', 'published', ?, ?, ?) RETURNING id`,
  )
    .bind(row.slug, `Von Hand ${row.slug}`, row.bodyMd, row.bodyHash ?? "", row.bodyHtml ?? null, row.htmlVersion ?? null, at, at, row.kind ?? "article")
    .first<{ id: number }>();
  if (!result) throw new Error("insert returned no row");
  return result.id;
}

async function storedRow(slug: string) {
  return env.DB.prepare("SELECT body_html, html_version, body_hash, excerpt, body_text FROM articles WHERE slug = ?")
    .bind(slug)
    .first<{ body_html: string | null; html_version: string | null; body_hash: string; excerpt: string | null; body_text: string | null }>();
}

/** A request through the Worker on a D1 that counts round trips (a write is one more). */
async function fetchCounting(path: string): Promise<{ res: Response; body: string; trips: number }> {
  const { db, count } = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, DB: db }, ctx);
  const body = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, body, trips: count() };
}

/** The row holds the current rendering of `bodyMd`, as publish would have stored it. */
async function expectStoredRendering(slug: string, bodyMd: string) {
  const rendered = renderArticleHtml(bodyMd);
  const bodyHash = await sha256Hex(bodyMd);
  expect(await storedRow(slug)).toEqual({
    body_html: rendered.html,
    html_version: htmlVersionFor(bodyHash),
    body_hash: bodyHash,
    excerpt: rendered.excerpt,
    body_text: rendered.text,
  });
}

function expectRenderedMarkdown(html: string) {
  expect(html).toContain('<h2 id="erster-abschnitt">Erster Abschnitt</h2>');
  expect(html).toContain('<h2 id="erster-abschnitt-2">Erster Abschnitt</h2>');
  expect(html).toContain("<li>eins</li>");
  expect(html).toContain('<pre><code class="language-js">const antwort = 42;');
  expect(html).toContain("<em>Betonung</em>");
  expect(html).toContain("<code>Stück</code>");
  expect(html).not.toContain("## Erster");
  expect(html).not.toContain("```");
}

describe("an article written by hand with body_md only", () => {
  it("is rendered with marked on its first view, stored with the current version, and never written again", async () => {
    const slug = uniqueSlug("von-hand");
    const bodyMd = markdownFor(slug);
    await insertByHand({ slug, bodyMd });
    const first = await fetchCounting(`/articles/${slug}`);
    expect(first.res.status).toBe(200);
    expectRenderedMarkdown(first.body);
    expect(first.body).toContain(renderArticleHtml(bodyMd).html);
    // One batch to read, one to store.
    expect(first.trips).toBe(2);
    await expectStoredRendering(slug, bodyMd);
    expect((await storedRow(slug))?.html_version).toBe(`${RENDERER_VERSION}:${await sha256Hex(bodyMd)}`);

    const second = await fetchCounting(`/articles/${slug}`);
    expect(second.res.status).toBe(200);
    const articleOf = (page: string) => page.slice(page.indexOf("<article"), page.indexOf("</article>"));
    expect(articleOf(second.body)).toBe(articleOf(first.body));
    expect(second.trips).toBe(1);
  });

  it("is cacheable at the edge from its first view, exactly as it is afterwards", async () => {
    const slug = uniqueSlug("von-hand-cache");
    await insertByHand({ slug, bodyMd: markdownFor(slug) });
    const first = await get(`/articles/${slug}`);
    const second = await get(`/articles/${slug}`);
    for (const res of [first, second]) {
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
      expect(res.headers.get("Cloudflare-CDN-Cache-Control")).toMatch(/^public, max-age=\d+/);
      expect(res.headers.get("Cache-Tag")?.split(",")).toContain(`a:${slug}`);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
    expect(first.headers.get("ETag")).toBe(second.headers.get("ETag"));
    expect(first.headers.get("Cache-Tag")).toBe(second.headers.get("Cache-Tag"));
  });

  it("is served rendered even when the rendering cannot be stored, and stored at a later view", async () => {
    const slug = uniqueSlug("von-hand-gesperrt");
    const bodyMd = markdownFor(slug);
    await insertByHand({ slug, bodyMd });
    // A store that D1 refuses (as a full or read-only database would), for this row only.
    const trigger = `refuse_${slug.replace(/-/g, "_")}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE OF body_html ON articles WHEN old.slug = '${slug}' BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    ).run();
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const { res, body } = await fetchCounting(`/articles/${slug}`);
      expect(res.status).toBe(200);
      expectRenderedMarkdown(body);
      expect((await storedRow(slug))?.body_html).toBeNull();
      // The failure leaves a record naming the row.
      expect(logged.mock.calls.map((call) => String(call[0]))).toContain(`rendered HTML not stored for "${slug}":`);
    } finally {
      logged.mockRestore();
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
    expect((await get(`/articles/${slug}`)).status).toBe(200);
    await expectStoredRendering(slug, bodyMd);
  });
});

describe("an article whose stored HTML is not current", () => {
  it("is rendered again when an older renderer made its HTML", async () => {
    const slug = uniqueSlug("alter-renderer");
    const bodyMd = markdownFor(slug);
    const bodyHash = await sha256Hex(bodyMd);
    await insertByHand({ slug, bodyMd, bodyHash, bodyHtml: "<p>vom alten Renderer</p>", htmlVersion: `md1:${bodyHash}` });
    const html = await (await get(`/articles/${slug}`)).text();
    expectRenderedMarkdown(html);
    expect(html).not.toContain("vom alten Renderer");
    await expectStoredRendering(slug, bodyMd);
  });

  it("is rendered again when body_md was edited by hand beside the old hash and HTML", async () => {
    const slug = uniqueSlug("neuer-text");
    const oldMd = "Der alte Text.";
    const oldHash = await sha256Hex(oldMd);
    const bodyMd = markdownFor(slug);
    // Everything but body_md still describes the old body: only the body's own hash can tell.
    await insertByHand({ slug, bodyMd, bodyHash: oldHash, bodyHtml: renderArticleHtml(oldMd).html, htmlVersion: htmlVersionFor(oldHash) });
    const html = await (await get(`/articles/${slug}`)).text();
    expectRenderedMarkdown(html);
    expect(html).not.toContain("Der alte Text.");
    await expectStoredRendering(slug, bodyMd);
  });

  it("is rendered again when body_md is edited by hand after the isolate served it as current", async () => {
    const slug = uniqueSlug("spaeter-editiert");
    const oldMd = markdownFor(slug);
    const oldHash = await sha256Hex(oldMd);
    const old = renderArticleHtml(oldMd);
    await insertByHand({ slug, bodyMd: oldMd, bodyHash: oldHash, bodyHtml: `${old.html}<!--gespeichert-->`, htmlVersion: htmlVersionFor(oldHash) });
    // Served as stored, twice: this isolate now knows the row as current.
    for (let i = 0; i < 2; i++) {
      const { body, trips } = await fetchCounting(`/articles/${slug}`);
      expect(body).toContain("<!--gespeichert-->");
      expect(trips).toBe(1);
    }
    // The same length and the same html_version and hash: only the body itself differs.
    const newMd = oldMd.replace("Einleitung", "Einführung");
    expect(newMd).not.toBe(oldMd);
    await env.DB.prepare("UPDATE articles SET body_md = ? WHERE slug = ?").bind(newMd, slug).run();
    const { body, trips } = await fetchCounting(`/articles/${slug}`);
    expect(body).not.toContain("<!--gespeichert-->");
    expect(body).toContain(`Einführung zu ${slug}`);
    expect(trips).toBe(2);
    await expectStoredRendering(slug, newMd);
  });

  it("is served as stored when a newer renderer made it (a deploy rolling out): no render, no write", async () => {
    const slug = uniqueSlug("neuerer-renderer");
    const bodyMd = markdownFor(slug);
    const bodyHash = await sha256Hex(bodyMd);
    const newer = `md${Number(RENDERER_VERSION.slice(2)) + 1}:${bodyHash}`;
    await insertByHand({ slug, bodyMd, bodyHash, bodyHtml: "<p>vom neueren Renderer</p>", htmlVersion: newer });
    const { body, trips } = await fetchCounting(`/articles/${slug}`);
    expect(body).toContain("<p>vom neueren Renderer</p>");
    expect(trips).toBe(1);
    expect((await storedRow(slug))?.html_version).toBe(newer);
  });

  it("never overwrites what a publish stored after the row was read", async () => {
    const slug = uniqueSlug("wettlauf");
    const oldMd = markdownFor(slug);
    const id = await insertByHand({ slug, bodyMd: oldMd });
    const read = { id, slug, bodyMd: oldMd, htmlVersion: null, hasStored: false };
    // The publish lands between the Worker's read and its store.
    const newMd = "Was publish **jetzt** schrieb.";
    const newHash = await sha256Hex(newMd);
    const published = renderArticleHtml(newMd);
    await env.DB.prepare("UPDATE articles SET body_md = ?, body_hash = ?, body_html = ?, html_version = ?, excerpt = ?, body_text = ? WHERE id = ?")
      .bind(newMd, newHash, published.html, htmlVersionFor(newHash), published.excerpt, published.text, id)
      .run();
    const rendered = await renderStaleBodies(getDb(env.DB), [read]);
    // The reader who read the old body still gets it rendered; the row keeps the publish.
    expect(rendered.get(id)?.html).toBe(renderArticleHtml(oldMd).html);
    await expectStoredRendering(slug, newMd);
  });
});

describe("every reader path renders a row written by hand", () => {
  it("a static page", async () => {
    const slug = uniqueSlug("seite-von-hand");
    const bodyMd = markdownFor(slug);
    await insertByHand({ slug, bodyMd, kind: "page" });
    const res = await get(`/${slug}`);
    expect(res.status).toBe(200);
    expectRenderedMarkdown(await res.text());
    await expectStoredRendering(slug, bodyMd);
  });

  it("the feeds, with one batch of stores and no write at the next request", async () => {
    const slugs = [uniqueSlug("feed-von-hand"), uniqueSlug("feed-von-hand")];
    for (const slug of slugs) await insertByHand({ slug, bodyMd: markdownFor(slug) });
    const first = await fetchCounting("/feed.json");
    expect(first.res.status).toBe(200);
    expect(first.trips).toBe(2);
    const items = (JSON.parse(first.body) as { items: { id: string; content_html: string }[] }).items;
    for (const slug of slugs) {
      const item = items.find((i) => i.id === `${SITE}/articles/${slug}`);
      expectRenderedMarkdown(item?.content_html ?? "");
      await expectStoredRendering(slug, markdownFor(slug));
    }
    expect((await fetchCounting("/feed.json")).trips).toBe(1);
    const rssItems = (await fetchRss("/feed.xml")).channel.item as { link: string[]; "content:encoded": string }[];
    for (const slug of slugs) expectRenderedMarkdown(rssItems.find((i) => i.link[0] === `${SITE}/articles/${slug}`)?.["content:encoded"] ?? "");
  });

  it("the search page's snippet, cut from the rendered text", async () => {
    const slug = uniqueSlug("suche-von-hand");
    const word = `zauber${Math.random().toString(36).slice(2, 8)}`;
    const bodyMd = `## Kapitel ${word}\n\nEin **fetter** Satz über ${word} und \`Code\`.`;
    await insertByHand({ slug, bodyMd });
    const html = await (await get(`/search?q=${word}`)).text();
    const snippet = findElements(html, "p", "snippet").map((p) => p.text);
    expect(snippet).toHaveLength(1);
    expect(snippet[0]).toContain("Ein fetter Satz über");
    expect(snippet[0]).not.toMatch(/[#*`]/);
    await expectStoredRendering(slug, bodyMd);
  });
});
