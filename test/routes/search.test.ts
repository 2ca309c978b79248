// /search: a reader's query in, ranked hits out, escaped, paginated, cacheable per query.

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_QUERY_LENGTH } from "../../src/search/query";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { findElements, listElements } from "../helpers/dom";
import { get } from "../helpers/http";

function marker(): string {
  return `zq${Math.random().toString(36).slice(2, 8)}`;
}

async function searchPage(q: string, page?: number) {
  const params = new URLSearchParams({ q });
  if (page) params.set("page", String(page));
  const res = await get(`/search?${params}`);
  return { res, html: await res.text() };
}

/** The result titles' link targets, in order. */
function hitPaths(html: string): string[] {
  return findElements(html, "ol", "search-results").length === 0
    ? []
    : listElements(html)
        .filter((el) => el.tag === "a" && el.attrs.href?.match(/^\/(articles\/)?[a-z0-9-]+$/) && el.text.length > 0)
        .map((el) => el.attrs.href ?? "")
        .filter((href, i, all) => all.indexOf(href) === i && href !== "/archive" && href !== "/tags");
}

describe("the search page", () => {
  it("finds by word, prefix, folded diacritics and phrase, and marks the matches in the snippet", async () => {
    const m = marker();
    const a = await insertArticle({ title: `Möglichkeiten im Netz ${m}`, bodyMd: `Onlinemarketing für kleine Unternehmen ${m}.` });
    const b = await insertArticle({ title: `Anderes ${m}`, bodyMd: `Nur Marketing, keine Unternehmen, kleine Sachen ${m}.` });
    expect(hitPaths((await searchPage(`moglichkeiten ${m}`)).html)).toEqual([`/articles/${a.slug}`]);
    expect(hitPaths((await searchPage(`Market ${m}`)).html).sort()).toEqual([`/articles/${a.slug}`, `/articles/${b.slug}`].sort());
    expect(hitPaths((await searchPage(`"kleine Unternehmen" ${m}`)).html)).toEqual([`/articles/${a.slug}`]);
    const { res, html } = await searchPage(`marketing ${m}`);
    expect(res.status).toBe(200);
    const marks = findElements(html, "mark").map((el) => el.text.toLowerCase());
    expect(marks).toContain("marketing");
    expect(marks).toContain(m);
    expect(findElements(html, "p", "snippet").some((p) => p.text.includes("Onlinemarketing für kleine Unternehmen"))).toBe(true);
  });

  it("links a page at /<slug> and shows its date", async () => {
    const m = marker();
    const { slug } = await insertArticle({ title: `Seite ${m}` });
    const { env } = await import("cloudflare:test");
    await env.DB.prepare("UPDATE articles SET kind = 'page' WHERE slug = ?").bind(slug).run();
    const { html } = await searchPage(m);
    expect(hitPaths(html)).toEqual([`/${slug}`]);
    expect(findElements(html, "time").length).toBeGreaterThan(0);
  });

  it("says so when nothing is found, with the query in the field; an empty query shows only the form", async () => {
    const m = marker();
    const { res, html } = await searchPage(`nichtda ${m}`);
    expect(res.status).toBe(200);
    expect(findElements(html, "p", "search-nothing")[0]?.text).toContain(`nichtda ${m}`);
    expect(findElements(html, "input").find((el) => el.attrs.id === "search-q")?.attrs.value).toBe(`nichtda ${m}`);
    for (const path of ["/search", "/search?q=", "/search?q=%20%20"]) {
      const empty = await get(path);
      const page = await empty.text();
      expect(empty.status, path).toBe(200);
      expect(findElements(page, "input").find((el) => el.attrs.id === "search-q")?.attrs.value, path).toBe("");
      expect(findElements(page, "p", "search-nothing"), path).toEqual([]);
    }
  });

  it("shows the reader's query and the content as text, never as markup", async () => {
    const m = marker();
    const { slug } = await insertArticle({ title: `Sicher <b>fett</b> ${m}`, bodyMd: `Ein Beispiel: \`<script>alert(1)</script>\` im Text ${m}.` });
    const attack = `<img src=x onerror=alert(1)> ${m}`;
    const { res, html } = await searchPage(attack);
    expect(res.status).toBe(200);
    const main = listElements(html);
    expect(main.filter((el) => el.tag === "img")).toEqual([]);
    expect(main.filter((el) => el.tag === "script")).toEqual([]);
    expect(main.filter((el) => el.tag === "b")).toEqual([]);
    expect(findElements(html, "h1")[0]?.text).toContain(attack);
    const { html: found } = await searchPage(`script ${m}`);
    expect(hitPaths(found)).toEqual([`/articles/${slug}`]);
    const all = listElements(found);
    expect(all.filter((el) => el.tag === "script" || el.tag === "b")).toEqual([]);
    expect(findElements(found, "p", "snippet")[0]?.text).toContain("<script>alert(1)</script>");
    expect(all.find((el) => el.tag === "a" && el.attrs.href === `/articles/${slug}`)?.text).toBe(`Sicher <b>fett</b> ${m}`);
  });

  it("pages through the hits ten at a time and refuses pages past 10 (the 100 ranked hits)", async () => {
    const m = marker();
    for (let i = 0; i < 12; i++) await insertArticle({ title: `Treffer ${i} ${m}` });
    const first = await searchPage(m);
    const second = await searchPage(m, 2);
    expect(hitPaths(first.html)).toHaveLength(10);
    expect(hitPaths(second.html)).toHaveLength(2);
    expect(new Set([...hitPaths(first.html), ...hitPaths(second.html)]).size).toBe(12);
    expect(findElements(first.html, "a").find((el) => el.attrs.rel === "next")?.attrs.href).toBe(`/search?q=${m}&page=2`);
    expect((await searchPage(m, 3)).res.status).toBe(404);
    expect((await searchPage(m, 10)).res.status).toBe(404);
    const far = await searchPage(m, 11);
    expect(far.res.status).toBe(400);
    expect(far.html).toContain("10");
    for (const page of ["0", "-1", "x", "1e3", "constructor"]) expect((await get(`/search?q=${m}&page=${page}`)).status, page).toBe(400);
  });

  it("answers a repeated parameter with a 400 naming it, and ignores parameters it does not read", async () => {
    const { slug } = await insertArticle({ title: "Wiederholte Parameter" });
    for (const [path, name] of [
      ["/search?q=a&q=b", "q"],
      ["/search?q=wiederholte&page=1&page=2", "page"],
      ["/search?page=1&q=a&page=1&q=a", "q"],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      const html = await res.text();
      expect(html, path).toContain(`Der Parameter „${name}“ darf nur einmal in der Adresse stehen.`);
      expect(html, path).not.toContain("ganze Zahl");
    }
    const english = await get("/search?q=a&q=b", { headers: { "Accept-Language": "en" } });
    expect(await english.text()).toContain("The parameter “q” may appear only once in the address.");
    const tracked = await get("/search?q=wiederholte&utm_source=a&utm_source=b");
    expect(tracked.status).toBe(200);
    expect(await tracked.text()).toContain(`/articles/${slug}`);
  });

  it("ranks at most the newest 100 visible matches: 100 are counted exactly, 101 are 'more than 100'", async () => {
    const { env } = await import("cloudflare:test");
    /** `count` articles with the marker in their title, published an hour ago; a draft first, which never counts. */
    const insertMatches = async (m: string, count: number) => {
      const now = Date.now();
      await env.DB.prepare(
        `INSERT INTO articles (slug, title, body_md, body_hash, lang, status, published_at, updated_at)
         VALUES (?1 || '-draft', 'Entwurf ' || ?1, 'Text', 'x', 'de', 'draft', NULL, ?2)`,
      )
        .bind(m, now)
        .run();
      await env.DB.prepare(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?2)
         INSERT INTO articles (slug, title, body_md, body_hash, lang, status, published_at, updated_at)
         SELECT ?1 || '-' || i, 'Treffer ' || i, 'Text ' || i || ' ' || ?1, 'x', 'de', 'published', ?3 + i, ?3 + i FROM n`,
      )
        .bind(m, count, now - 3_600_000)
        .run();
      // One of them, neither the newest nor the oldest, has the word in its title too: it ranks first.
      await env.DB.prepare("UPDATE articles SET title = title || ' ' || ?1 WHERE slug = ?1 || '-50'").bind(m).run();
    };
    const atLimit = marker();
    await insertMatches(atLimit, 100);
    const exact = await searchPage(atLimit);
    expect(findElements(exact.html, "p", "meta")[0]?.text).toBe("100 Treffer");
    expect(hitPaths(exact.html)[0]).toBe(`/articles/${atLimit}-50`);
    const last = await searchPage(atLimit, 10);
    expect(hitPaths(last.html)).toHaveLength(10);
    expect(findElements(last.html, "a").find((el) => el.attrs.rel === "next")).toBeUndefined();
    const past = marker();
    await insertMatches(past, 101);
    const more = await searchPage(past);
    expect(findElements(more.html, "p", "meta")[0]?.text).toBe("Mehr als 100 Treffer, die neuesten 100 nach Relevanz");
    expect(hitPaths(more.html)).toHaveLength(10);
    expect(hitPaths(more.html)[0]).toBe(`/articles/${past}-50`);
    // The 10 pages show the 100 newest matches (by id, the order articles were added) once each; the oldest, the first, is not ranked.
    const shown = new Set<string>();
    for (let page = 1; page <= 10; page++) for (const path of hitPaths((await searchPage(past, page)).html)) shown.add(path);
    expect(shown.size).toBe(100);
    expect(shown.has(`/articles/${past}-2`)).toBe(true);
    expect(shown.has(`/articles/${past}-1`)).toBe(false);
  });

  it("answers a query at the limit and refuses one past it with a 400 that names the field", async () => {
    const m = marker();
    const atLimit = `${m} ${"a".repeat(MAX_QUERY_LENGTH - m.length - 1)}`;
    expect((await searchPage(atLimit)).res.status).toBe(200);
    const tooLong = await searchPage(`${atLimit}b`);
    expect(tooLong.res.status).toBe(400);
    expect(tooLong.html).toContain(`„q“`);
    expect(tooLong.res.headers.get("cache-control")).toBe("private, no-store");
  });

  it("takes control characters, FTS5 syntax, invalid percent-encoding and prototype names without a 5xx", async () => {
    for (const q of ["%00%01", "%FF%FE", "NEAR(a b)", "a OR b*", '"unclosed', "constructor", "__proto__", "toString", "hasOwnProperty", "%E2%80%AE"]) {
      const res = await get(`/search?q=${q}`);
      expect(res.status, q).toBe(200);
    }
  });

  it("is cacheable at the edge per query, tagged search and with its hits, and kept out of search engines", async () => {
    const m = marker();
    const { slug } = await insertArticle({ title: `Zwischengespeichert ${m}` });
    const { res, html } = await searchPage(m);
    expect(res.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    expect(res.headers.get("cloudflare-cdn-cache-control")).toMatch(/^public, max-age=\d+/);
    // "comments": the first page also shows approved comments, and every moderation purges that tag.
    expect(res.headers.get("cache-tag")?.split(",")).toEqual(["search", "comments", `a:${slug}`]);
    const robots = findElements(html, "meta").find((el) => el.attrs.name === "robots");
    expect(robots?.attrs.content).toBe("noindex");
    expect(findElements(html, "link").filter((el) => el.attrs.rel === "canonical")).toEqual([]);
  });
});

describe("search on every page", () => {
  it("has the header's search form and the OpenSearch link on home, article, tag, search and error pages", async () => {
    const { slug } = await insertArticle({ tags: [{ slug: "suche-ueberall", name: "Suche überall" }] });
    for (const path of ["/", `/articles/${slug}`, "/tags/suche-ueberall", "/search?q=x", "/gibt-es-nicht", "/archive", "/tags"]) {
      const html = await (await get(path)).text();
      expect(findElements(html, "search", "site-search"), path).toHaveLength(1);
      const form = findElements(html, "form").find((el) => el.attrs.action === "/search");
      expect(form?.attrs, path).toMatchObject({ action: "/search", method: "get" });
      const input = findElements(html, "input").find((el) => el.attrs.id === "site-search-q");
      expect(input?.attrs.name, path).toBe("q");
      expect(
        findElements(html, "label").some((el) => el.attrs.for === "site-search-q" && el.text.length > 0),
        path,
      ).toBe(true);
      const link = findElements(html, "link").find((el) => el.attrs.rel === "search");
      expect(link?.attrs, path).toMatchObject({ type: "application/opensearchdescription+xml", href: "/opensearch.xml" });
      const subscribe = findElements(html, "a").filter((el) => ["/feed.xml", "/atom.xml", "/feed.json"].includes(el.attrs.href ?? ""));
      expect(subscribe.map((el) => el.attrs.href).sort(), path).toEqual(["/atom.xml", "/feed.json", "/feed.xml", "/feed.xml"]);
    }
  });

  it("describes the search in /opensearch.xml", async () => {
    const { XMLParser } = await import("fast-xml-parser");
    const res = await get("/opensearch.xml");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/opensearchdescription+xml; charset=utf-8");
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(await res.text());
    const desc = doc.OpenSearchDescription;
    expect(desc.xmlns).toBe("http://a9.com/-/spec/opensearch/1.1/");
    expect(String(desc.ShortName).length).toBeLessThanOrEqual(16);
    const urls = Array.isArray(desc.Url) ? desc.Url : [desc.Url];
    expect(urls.find((u: { type: string }) => u.type === "text/html")?.template).toMatch(/^https?:\/\/[^/]+\/search\?q=\{searchTerms\}$/);
  });

  it("finds approved comments, German spellings too, and links each to its place; never pending, spam, trash or under a hidden article", async () => {
    const m = marker();
    const article = await insertArticle({ title: `Diskussion ${m}` });
    const draft = await insertArticle({ title: `Entwurf ${m}`, status: "draft" });
    const future = await insertArticle({ title: `Später ${m}`, publishedAt: Date.now() + 3_600_000 });
    const approved = await insertComment(article.id, "approved", `Die Werkstätten auf der Straße ${m}.`);
    const pending = await insertComment(article.id, "pending", `Werkstatt wartet ${m}.`);
    await insertComment(article.id, "spam", `Werkstatt Spam ${m}.`);
    await insertComment(article.id, "trash", `Werkstatt Papierkorb ${m}.`);
    await insertComment(draft.id, "approved", `Werkstatt im Entwurf ${m}.`);
    await insertComment(future.id, "approved", `Werkstatt später ${m}.`);
    const commentLinks = (html: string) =>
      findElements(html, "section", "search-comments").length === 0
        ? []
        : listElements(html)
            .filter((el) => el.tag === "a" && el.attrs.href?.startsWith("/comments/"))
            .map((el) => el.attrs.href);
    for (const q of [`werkstatt ${m}`, `strasse ${m}`, `Werkstätten ${m}`]) {
      const { res, html } = await searchPage(q);
      expect(res.status, q).toBe(200);
      expect(commentLinks(html), q).toEqual([`/comments/${approved}`]);
      expect(html, q).not.toContain("search-nothing");
    }
    // The link leads to the comment's place on the article's comment page.
    const place = await get(`/comments/${approved}`);
    expect(place.status).toBe(301);
    expect(place.headers.get("location")).toContain(`/articles/${article.slug}`);
    expect(place.headers.get("location")).toContain(`#comment-${approved}`);
    // The index follows the comments table: approving, then trashing a comment.
    await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE id = ?").bind(pending).run();
    expect(commentLinks((await searchPage(`wartet ${m}`)).html)).toEqual([`/comments/${pending}`]);
    await env.DB.prepare("UPDATE comments SET status = 'trash' WHERE id = ?").bind(pending).run();
    expect(commentLinks((await searchPage(`wartet ${m}`)).html)).toEqual([]);
    expect((await searchPage(`wartet ${m}`)).html).toContain("search-nothing");
    // Page 2 of the articles shows no comments.
    expect(commentLinks((await searchPage(`werkstatt ${m}`, 2)).html)).toEqual([]);
  });
});
