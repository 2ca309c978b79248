import { describe, expect, it } from "vitest";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { get } from "../helpers/http";

function articleLinks(html: string): string[] {
  return [...html.matchAll(/<h2><a href="\/articles\/([^"]+)">/g)].map((m) => m[1] ?? "");
}

describe("GET /", () => {
  it("lists published articles newest first, with summary or excerpt", async () => {
    const older = await insertArticle({ publishedAt: Date.now() - 2_000, summary: "Eine Zusammenfassung." });
    const newer = await insertArticle({ publishedAt: Date.now() - 1_000, bodyMd: "Der Anfang des Textes.", bodyHtml: "<p>Der Anfang des Textes.</p>" });
    const res = await get("/");
    expect(res.status).toBe(200);
    const html = await res.text();
    const links = articleLinks(html);
    expect(links.indexOf(newer.slug)).toBeGreaterThanOrEqual(0);
    expect(links.indexOf(newer.slug)).toBeLessThan(links.indexOf(older.slug));
    expect(html).toContain("Eine Zusammenfassung.");
    expect(html).toContain("<h1>Neueste Artikel</h1>");
  });

  it("leaves out drafts and future articles", async () => {
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    const future = await insertArticle({ publishedAt: Date.now() + 60_000 });
    const links = articleLinks(await (await get("/")).text());
    expect(links).not.toContain(draft.slug);
    expect(links).not.toContain(future.slug);
  });

  it("counts the pages from the articles shown: not drafts, scheduled ones, pages, or a translation its German version stands for", async () => {
    const { env } = await import("cloudflare:test");
    await insertArticle({ status: "draft", publishedAt: null });
    await insertArticle({ publishedAt: Date.now() + 3_600_000 });
    await insertArticle({ kind: "page" });
    const key = uniqueSlug("key");
    await insertArticle({ translationKey: key, lang: "de" });
    await insertArticle({ translationKey: key, lang: "en" });
    // What the home page shows, counted the plain way; then filled up to whole pages (at least two), so one too many shows.
    const shown = async () =>
      (
        await env.DB.prepare(
          `SELECT count(*) AS n FROM articles a WHERE a.kind = 'article' AND a.status = 'published' AND a.published_at <= ?1
         AND (a.translation_key IS NULL OR a.lang = 'de' OR NOT EXISTS (SELECT 1 FROM articles o WHERE o.translation_key = a.translation_key
           AND o.lang = 'de' AND o.kind = 'article' AND o.status = 'published' AND o.published_at <= ?1))`,
        )
          .bind(Date.now())
          .first<{ n: number }>()
      )?.n ?? 0;
    for (let n = await shown(); n < 20 || n % 10 !== 0; n++) await insertArticle({ publishedAt: Date.now() - 7_200_000 });
    const pages = (await shown()) / 10;
    expect(await (await get("/")).text()).toContain(`Seite 1 von ${pages}`);
    expect((await get(`/?page=${pages}`)).status).toBe(200);
    expect((await get(`/?page=${pages + 1}`)).status).toBe(404);
  });

  it("rejects a malformed page number with 400 and says why", async () => {
    for (const page of ["0", "-1", "abc", "1.5", "", "9999999"]) {
      const res = await get(`/?page=${page}`);
      expect(res.status, page).toBe(400);
      expect(await res.text()).toContain("„page“ muss eine ganze Zahl ab 1 sein");
    }
  });

  it("answers 404 past the last page", async () => {
    expect((await get("/?page=99999")).status).toBe(404);
  });
});

describe("GET /tags/:tag", () => {
  it("pages ten at a time, with links between pages and 404 past the end", async () => {
    const tag = uniqueSlug("tag");
    const slugs: string[] = [];
    for (let i = 0; i < 11; i++) {
      const { slug } = await insertArticle({ publishedAt: Date.now() - 100_000 + i, tags: [{ slug: tag, name: "Serie" }] });
      slugs.unshift(slug);
    }
    const first = await (await get(`/tags/${tag}`)).text();
    expect(articleLinks(first)).toEqual(slugs.slice(0, 10));
    expect(first).toContain("Artikel mit dem Schlagwort „Serie“");
    expect(first).toContain(`href="/tags/${tag}?page=2" rel="next"`);
    expect(first).toContain("Seite 1 von 2");
    const second = await get(`/tags/${tag}?page=2`);
    expect(second.status).toBe(200);
    const secondHtml = await second.text();
    expect(articleLinks(secondHtml)).toEqual(slugs.slice(10));
    expect(secondHtml).toContain(`href="/tags/${tag}" rel="prev"`);
    expect((await get(`/tags/${tag}?page=3`)).status).toBe(404);
  });

  it("counts a tag's shown articles only: not drafts, scheduled ones, pages, or a translation its German version stands for", async () => {
    const tag = uniqueSlug("tag");
    const tags = [{ slug: tag, name: "Gezählt" }];
    const at = (i: number) => Date.now() - 100_000 + i;
    for (let i = 0; i < 8; i++) await insertArticle({ publishedAt: at(i), tags });
    const both = uniqueSlug("key");
    await insertArticle({ publishedAt: at(8), tags, translationKey: both, lang: "de" });
    await insertArticle({ publishedAt: at(8), tags, translationKey: both, lang: "en" });
    // The German version lacks the tag: on this tag's list the English one stands for the group.
    const enOnly = uniqueSlug("key");
    await insertArticle({ publishedAt: at(9), translationKey: enOnly, lang: "de" });
    await insertArticle({ publishedAt: at(9), tags, translationKey: enOnly, lang: "en" });
    await insertArticle({ status: "draft", publishedAt: null, tags });
    await insertArticle({ publishedAt: Date.now() + 3_600_000, tags });
    await insertArticle({ kind: "page", tags });
    const full = await (await get(`/tags/${tag}`)).text();
    expect(articleLinks(full)).toHaveLength(10);
    expect(full).not.toContain('rel="next"');
    expect((await get(`/tags/${tag}?page=2`)).status).toBe(404);
    await insertArticle({ publishedAt: at(10), tags });
    expect(await (await get(`/tags/${tag}`)).text()).toContain("Seite 1 von 2");
  });

  it("lists a rare tag's articles as a common one's (found from the tag, not by probing each article)", async () => {
    const { env } = await import("cloudflare:test");
    const tag = uniqueSlug("tag");
    const tags = [{ slug: tag, name: "Selten" }];
    const first = await insertArticle({ publishedAt: Date.now() - 50_000, tags });
    // Many newer articles without it: the tag is on far fewer than one article in eight.
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100)
       INSERT INTO articles (slug, title, body_md, body_hash, lang, status, published_at, updated_at)
       SELECT ?1 || '-' || i, 'Ohne', 'Text', 'x', 'de', 'published', ?2 + i, ?2 + i FROM n`,
    )
      .bind(uniqueSlug("ohne"), Date.now() - 40_000)
      .run();
    const second = await insertArticle({ publishedAt: Date.now() - 30_000, tags });
    const html = await (await get(`/tags/${tag}`)).text();
    expect(articleLinks(html)).toEqual([second.slug, first.slug]);
    expect(html).not.toContain('rel="next"');
  });

  it("answers 404 for a tag without visible articles", async () => {
    const tag = uniqueSlug("tag");
    await insertArticle({ status: "draft", publishedAt: null, tags: [{ slug: tag, name: tag }] });
    expect((await get(`/tags/${tag}`)).status).toBe(404);
    expect((await get("/tags/NICHT_GUELTIG")).status).toBe(404);
  });

  it("marks an article in another language with its own lang", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertArticle({ lang: "en", tags: [{ slug: tag, name: tag }] });
    const html = await (await get(`/tags/${tag}`)).text();
    expect(html).toContain('<html lang="de">');
    expect(html).toContain(`<li lang="en"><article><h2><a href="/articles/${slug}">`);
  });
});

describe("canonical list and article URLs", () => {
  it("gives page 2 of a list its own title", async () => {
    const tag = uniqueSlug("tag");
    for (let i = 0; i < 11; i++) await insertArticle({ publishedAt: Date.now() - 100_000 + i, tags: [{ slug: tag, name: "Serie" }] });
    const title = (html: string) => /<title>([^<]*)<\/title>/.exec(html)?.[1] ?? "";
    const first = title(await (await get(`/tags/${tag}`)).text());
    const second = title(await (await get(`/tags/${tag}?page=2`)).text());
    expect(second).not.toBe(first);
    expect(second).toContain("Seite 2");
    expect(title(await (await get("/?page=2")).text())).toContain("Seite 2");
  });

  it("moves a tag typed in capitals to its slug, keeping the page", async () => {
    const tag = uniqueSlug("kmu");
    await insertArticle({ tags: [{ slug: tag, name: "KMU" }] });
    const res = await get(`/tags/${tag.toUpperCase()}?page=1`);
    expect(res.status).toBe(301);
    expect(res.headers.get("location")).toBe(`/tags/${tag}?page=1`);
    expect((await get(res.headers.get("location") ?? "")).status).toBe(200);
  });

  it("moves /articles/<slug>/ (WordPress links) to the URL without the slash", async () => {
    const { slug } = await insertArticle();
    for (const path of [`/articles/${slug}/`, "/tags/kmu/"]) {
      const res = await get(path);
      expect(res.status, path).toBe(301);
      expect(new URL(res.headers.get("location") ?? "", "https://blog.test").pathname).toBe(path.slice(0, -1));
    }
    expect((await get(`/articles/${slug}/`, { method: "HEAD" })).status).toBe(301);
  });
});
