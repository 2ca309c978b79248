// Static pages at /<slug> and the navigation every HTML page carries: header
// links by navOrder, footer links with the Impressum and the privacy page, and
// the privacy notice in the comment form. Real local D1 (this file's own).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { toNavigation } from "../../src/articles/navigation";
import type { NavigationEntry } from "../../src/articles/static-page-queries";
import { insertArticle, insertPage, uniqueSlug } from "../helpers/articles";
import { get } from "../helpers/http";

function block(html: string, cls: string): string {
  const match = html.match(new RegExp(`<nav class="${cls}"[^>]*>([\\s\\S]*?)</nav>`));
  return match?.[1] ?? "";
}

/** The page links (hrefs) of a nav block, in document order. */
function links(html: string, cls: "site-nav" | "footer-links"): string[] {
  return [...block(html, cls).matchAll(/href="([^"]+)"/g)].map((m) => m[1] ?? "");
}

describe("a static page", () => {
  it("answers 200 at /<slug> with its title and body, canonical, cached under its own tag and nav", async () => {
    const slug = uniqueSlug("ueber-uns");
    await insertPage({ slug, title: "Über uns & mehr", bodyMd: "Wir sind **eine Agentur**." });
    const res = await get(`/${slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("<h1>Über uns &amp; mehr</h1>");
    expect(html).toContain("<strong>eine Agentur</strong>");
    expect(new URL(html.match(/<link rel="canonical" href="([^"]+)"/)?.[1] ?? "x:").pathname).toBe(`/${slug}`);
    // No date, no comments, no form.
    expect(html).not.toContain("<time");
    expect(html).not.toContain('id="respond"');
    expect(res.headers.get("cache-tag")?.split(",").sort()).toEqual([`a:${slug}`, "nav"]);
  });

  it("is absent from the home page, tag pages, feeds and /articles/<slug>", async () => {
    const tag = uniqueSlug("tag");
    const slug = uniqueSlug("seite");
    await insertPage({ slug, title: `Seite ${slug}`, tags: [{ slug: tag, name: tag }] });
    await insertArticle({ tags: [{ slug: tag, name: tag }] });
    for (const path of ["/", `/tags/${tag}`, "/feed.xml", "/atom.xml", "/feed.json", `/tags/${tag}/feed.xml`]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).not.toContain(slug);
    }
    expect((await get(`/articles/${slug}`)).status).toBe(404);
  });

  it("404s as a draft, in the future, under an invalid or unknown slug; an alias of a page answers 301", async () => {
    const draft = await insertPage({ status: "draft" });
    const future = await insertPage({ publishedAt: Date.now() + 3_600_000 });
    for (const path of [`/${draft.slug}`, `/${future.slug}`, "/Gross", "/gibt-es-nicht", "/constructor", "/__proto__", "/toString"]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toContain("<h1>");
    }
    const alias = uniqueSlug("alt");
    const page = await insertPage({ aliases: [alias] });
    const res = await get(`/${alias}`);
    expect(res.status).toBe(301);
    expect(new URL(res.headers.get("location") ?? "", "https://x").pathname).toBe(`/${page.slug}`);
    // An article's alias is no page's: it stays a 404 at /<alias>.
    const articleAlias = uniqueSlug("artikel-alt");
    await insertArticle({ aliases: [articleAlias] });
    expect((await get(`/${articleAlias}`)).status).toBe(404);
  });

  it("never shadows the blog's own routes", async () => {
    expect((await get("/sitemap.xml")).headers.get("content-type")).toContain("xml");
    expect((await get("/robots.txt")).headers.get("content-type")).toContain("text/plain");
    expect((await get("/feed.xml")).headers.get("content-type")).toContain("xml");
  });
});

describe("navigation on every page", () => {
  it("links the Impressum and the privacy page from every page's footer, and the privacy page from the comment form", async () => {
    const imprint = await insertPage({ title: "Impressum", role: "imprint" });
    const privacy = await insertPage({ title: "Datenschutz", role: "privacy", nav: "footer", navOrder: 5 });
    const tag = uniqueSlug("tag");
    const article = await insertArticle({ tags: [{ slug: tag, name: tag }] });
    for (const [path, status] of [
      ["/", 200],
      [`/articles/${article.slug}`, 200],
      [`/tags/${tag}`, 200],
      [`/${imprint.slug}`, 200],
      [`/${privacy.slug}`, 200],
      ["/gibt-es-nicht", 404],
      [`/articles/${uniqueSlug("fehlt")}`, 404],
      ["/?page=x", 400],
      ["/admin/login", 200],
    ] as const) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      const footer = links(await res.text(), "footer-links");
      // Placed footer pages first, then the unplaced Impressum.
      expect(footer, path).toEqual([`/${privacy.slug}`, `/${imprint.slug}`]);
    }
    const form = (await (await get(`/articles/${article.slug}`)).text()).match(/<form method="post"[\s\S]*?<\/form>/)?.[0] ?? "";
    expect(form).toContain(`Mit dem Absenden akzeptierst du die <a href="/${privacy.slug}">Datenschutzerklärung</a>.`);
    const english = await insertArticle({ lang: "en" });
    expect(await (await get(`/articles/${english.slug}`)).text()).toContain(`By submitting, you accept the <a href="/${privacy.slug}">privacy policy</a>.`);
    // Cached pages that show the links carry the nav tag, the kept 404 too.
    for (const path of ["/", `/articles/${article.slug}`, `/tags/${tag}`, "/gibt-es-nicht"]) {
      expect((await get(path)).headers.get("cache-tag")?.split(","), path).toContain("nav");
    }
    // Without a published privacy page the form says nothing about one.
    await env.DB.prepare("UPDATE articles SET status = 'draft' WHERE id = ?").bind(privacy.id).run();
    const without = await (await get(`/articles/${article.slug}`)).text();
    expect(without).not.toContain("akzeptierst du");
    expect(links(without, "footer-links")).toEqual([`/${imprint.slug}`]);
    await env.DB.prepare("UPDATE articles SET status = 'published' WHERE id = ?").bind(privacy.id).run();
  });

  it("orders the header by navOrder (unordered last) and leaves pages without place or role out", async () => {
    const third = await insertPage({ title: "A zuerst im Alphabet", nav: "header" });
    const second = await insertPage({ title: "Z", nav: "header", navOrder: 2 });
    const first = await insertPage({ title: "M", nav: "header", navOrder: -1 });
    const hidden = await insertPage({ title: "Versteckt" });
    const html = await (await get("/")).text();
    expect(links(html, "site-nav")).toEqual([`/${first.slug}`, `/${second.slug}`, `/${third.slug}`]);
    expect(html).not.toContain(`/${hidden.slug}"`);
    expect(html).toMatch(/<nav class="site-nav" aria-label="Hauptnavigation">/);
  });
});

describe("toNavigation", () => {
  const row = (slug: string, nav: NavigationEntry["nav"], role: NavigationEntry["role"] = null): NavigationEntry => ({
    slug,
    title: slug,
    lang: "de",
    nav,
    navOrder: null,
    role,
  });

  it("puts role pages in the footer wherever they are placed, once each, Impressum before privacy", () => {
    const nav = toNavigation([row("ueber-uns", "header", "privacy"), row("kontakt", "footer"), row("impressum", null, "imprint")]);
    expect(nav.header.map((l) => l.slug)).toEqual(["ueber-uns"]);
    expect(nav.footer.map((l) => l.slug)).toEqual(["kontakt", "impressum", "ueber-uns"]);
    expect(nav.privacy?.slug).toBe("ueber-uns");
    const placed = toNavigation([row("impressum", "footer", "imprint"), row("datenschutz", "footer", "privacy")]);
    expect(placed.footer.map((l) => l.slug)).toEqual(["impressum", "datenschutz"]);
    expect(toNavigation([])).toEqual({ header: [], footer: [], privacy: null });
  });
});
