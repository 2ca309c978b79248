import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { htmlVersionFor } from "../../src/articles/markdown";
import { insertArticle, sha256Hex, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";

describe("GET /articles/:slug", () => {
  it("renders a published article with its language, headings and tags", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertArticle({
      title: "Über Anker & Ids",
      bodyMd: "![Ein Bild](/media/x.svg)\n\n## Wie kommt das nur?\n\nText.\n\n## Wie kommt das nur?\n\nNoch einmal.",
      author: "Agenturteam",
      publishedAt: Date.UTC(2014, 2, 12, 8),
      tags: [{ slug: tag, name: "Mein Tag" }],
    });
    const res = await get(`/articles/${slug}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=UTF-8");
    const html = await res.text();
    expect(html.startsWith("<!DOCTYPE html>")).toBe(true);
    expect(html).toContain('<html lang="de">');
    expect(html).toContain("<h1>Über Anker &amp; Ids</h1>");
    expect(html).toContain('<h2 id="wie-kommt-das-nur">Wie kommt das nur?</h2>');
    expect(html).toContain('<h2 id="wie-kommt-das-nur-2">Wie kommt das nur?</h2>');
    expect(html).toContain('<img src="/media/x.svg" alt="Ein Bild" loading="lazy" decoding="async">');
    expect(html).toContain("12. März 2014");
    expect(html).toContain("von Agenturteam");
    expect(html).toContain(`href="/tags/${tag}"`);
    expect(html).toContain(`<link rel="canonical" href="http://localhost:8787/articles/${slug}"/>`);
    expect(html).toContain("Zum Inhalt springen");
  });

  it("speaks English on an English article, dates included", async () => {
    const { slug } = await insertArticle({ lang: "en", title: "Fast sites", publishedAt: Date.UTC(2026, 9, 14, 8) });
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html).toContain('<html lang="en">');
    expect(html).toContain("Skip to content");
    expect(html).toContain("Published on");
    expect(html).toContain("14 October 2026");
    expect(html).not.toContain("Zum Inhalt springen");
  });

  it("hides drafts and articles dated in the future", async () => {
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    const future = await insertArticle({ publishedAt: Date.now() + 86_400_000 });
    for (const { slug } of [draft, future]) {
      const res = await get(`/articles/${slug}`);
      expect(res.status).toBe(404);
      expect(await res.text()).toContain("Seite nicht gefunden");
    }
  });

  it("answers 404 for unknown and malformed slugs", async () => {
    expect((await get("/articles/gibt-es-nicht")).status).toBe(404);
    expect((await get("/articles/Gross%20und%20klein")).status).toBe(404);
  });

  it("redirects an old alias to the article with 301", async () => {
    const { id, slug } = await insertArticle();
    const alias = uniqueSlug("alt");
    await env.DB.prepare("INSERT INTO article_aliases (slug, article_id) VALUES (?, ?)").bind(alias, id).run();
    const res = await get(`/articles/${alias}`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/articles/${slug}`);
  });

  it("serves the HTML publish stored while it is current for the body, without rendering it again", async () => {
    // A marker only stored HTML can contain.
    const bodyMd = "Neuer **Text**.";
    const { slug } = await insertArticle({ bodyMd, bodyHtml: "<p>aus dem Speicher</p>", htmlVersion: htmlVersionFor(await sha256Hex(bodyMd)) });
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html).toContain("<p>aus dem Speicher</p>");
    expect(html).not.toContain("<strong>Text</strong>");
  });

  it("renders HTML that was made from another body, and a row that publish never rendered (test/articles-render.test.ts has more)", async () => {
    const other = await insertArticle({ bodyMd: "Neuer **Text**.", bodyHtml: "<p>aus dem Speicher</p>", htmlVersion: htmlVersionFor("0".repeat(64)) });
    const unrendered = await insertArticle({ bodyMd: "Erster **Absatz**.\n\n## Zweiter", bodyHtml: null });
    const otherHtml = await (await get(`/articles/${other.slug}`)).text();
    expect(otherHtml).toContain("<p>Neuer <strong>Text</strong>.</p>");
    expect(otherHtml).not.toContain("aus dem Speicher");
    const res = await get(`/articles/${unrendered.slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<p>Erster <strong>Absatz</strong>.</p>");
    expect(html).toContain('<h2 id="zweiter">Zweiter</h2>');
  });

  it("counts only approved comments", async () => {
    const tag = uniqueSlug("tag");
    const { id } = await insertArticle({ tags: [{ slug: tag, name: tag }] });
    await insertComment(id, "approved");
    await insertComment(id, "pending");
    await insertComment(id, "spam");
    const html = await (await get(`/tags/${tag}`)).text();
    expect(html).toContain("1 Kommentar<");
  });
});
