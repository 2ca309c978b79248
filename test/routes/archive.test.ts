// Finding around: the archive by month (in the site's zone), the tag index,
// translation links, and one entry per translation group in lists and feeds.
import { describe, expect, it } from "vitest";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { findElements } from "../helpers/dom";
import { get } from "../helpers/http";

async function page(path: string) {
  const res = await get(path);
  return { res, html: await res.text() };
}

/** The text of the list item that links to `href`. */
function itemText(html: string, href: string): string | undefined {
  const items = findElements(html, "li");
  return items.find((li) => li.text.includes(href) || findLinkIn(html, href, li.text))?.text;
}

function findLinkIn(html: string, href: string, text: string): boolean {
  const link = findElements(html, "a").find((a) => a.attrs.href === href);
  return link !== undefined && text.startsWith(link.text);
}

function articleLinks(html: string): string[] {
  return [...new Set(findElements(html, "a").flatMap((a) => (a.attrs.href?.startsWith("/articles/") && !a.attrs.href.includes("#") ? [a.attrs.href] : [])))];
}

describe("the archive", () => {
  it("counts articles per month in Europe/Berlin, on both sides of month boundaries, newest first", async () => {
    // 1987: CET (UTC+1) in winter, CEST (UTC+2) from 29 March.
    const at = (iso: string) => insertArticle({ publishedAt: Date.parse(iso), updatedAt: Date.parse(iso) });
    const jan = await at("1987-01-31T22:30:00Z"); // 31 Jan, 23:30 in Berlin
    const feb = await at("1987-01-31T23:30:00Z"); // 1 Feb, 00:30 in Berlin
    const mar = await at("1987-03-31T21:30:00Z"); // 31 Mar, 23:30 CEST
    const apr1 = await at("1987-03-31T22:30:00Z"); // 1 Apr, 00:30 CEST
    const apr2 = await at("1987-04-15T10:00:00Z");
    await insertArticle({ publishedAt: Date.parse("1987-04-20T10:00:00Z"), status: "draft" });
    const { res, html } = await page("/archive");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-tag")).toBe("archive");
    expect(itemText(html, "/archive/1987/01")).toMatch(/^Januar 1987 \(1 Artikel\)$/);
    expect(itemText(html, "/archive/1987/02")).toMatch(/^Februar 1987 \(1 Artikel\)$/);
    expect(itemText(html, "/archive/1987/03")).toMatch(/^März 1987 \(1 Artikel\)$/);
    expect(itemText(html, "/archive/1987/04")).toMatch(/^April 1987 \(2 Artikel\)$/);
    expect(findElements(html, "h2").find((h) => h.text.startsWith("1987"))?.text).toBe("1987 (5 Artikel)");
    const months = findElements(html, "a").flatMap((a) => (a.attrs.href?.startsWith("/archive/1987/") ? [a.attrs.href] : []));
    expect(months).toEqual(["/archive/1987/04", "/archive/1987/03", "/archive/1987/02", "/archive/1987/01"]);
    const april = await page("/archive/1987/04");
    expect(april.res.status).toBe(200);
    expect(articleLinks(april.html).sort()).toEqual([`/articles/${apr1.slug}`, `/articles/${apr2.slug}`].sort());
    expect(april.res.headers.get("cache-tag")?.split(",")).toEqual(expect.arrayContaining(["archive", `a:${apr1.slug}`, `a:${apr2.slug}`]));
    expect(findElements(april.html, "h1")[0]?.text).toBe("Artikel im April 1987");
    expect(articleLinks((await page("/archive/1987/03")).html)).toEqual([`/articles/${mar.slug}`]);
    expect(articleLinks((await page("/archive/1987/02")).html)).toEqual([`/articles/${feb.slug}`]);
    expect(articleLinks((await page("/archive/1987/01")).html)).toEqual([`/articles/${jan.slug}`]);
  });

  it("pages a month's articles ten at a time, 404 past the end and for a month without articles", async () => {
    for (let i = 0; i < 12; i++) await insertArticle({ publishedAt: Date.parse(`1988-06-${String(i + 1).padStart(2, "0")}T12:00:00Z`) });
    const first = await page("/archive/1988/06");
    const second = await page("/archive/1988/06?page=2");
    expect(articleLinks(first.html)).toHaveLength(10);
    expect(articleLinks(second.html)).toHaveLength(2);
    expect(findElements(first.html, "a").find((a) => a.attrs.rel === "next")?.attrs.href).toBe("/archive/1988/06?page=2");
    expect((await get("/archive/1988/06?page=3")).status).toBe(404);
    expect((await get("/archive/1988/07")).status).toBe(404);
    expect((await get("/archive/1969/12")).status).toBe(404);
    expect((await get("/archive/1988/06?page=x")).status).toBe(400);
  });

  it("answers a malformed year or month with 400 that says the shape, and other shapes with 404", async () => {
    for (const path of [
      "/archive/1988/13",
      "/archive/1988/00",
      "/archive/1988/6",
      "/archive/88/06",
      "/archive/abcd/06",
      "/archive/constructor/__proto__",
      "/archive/1988/%00",
    ]) {
      const { res, html } = await page(path);
      expect(res.status, path).toBe(400);
      expect(html, path).toContain("/archive/JJJJ/MM");
    }
    for (const path of ["/archive/1988", "/archive/1988/06/01"]) expect((await get(path)).status, path).toBe(404);
  });
});

describe("the tag index", () => {
  it("lists every tag in use on visible articles with its count, in German alphabetical order", async () => {
    const m = uniqueSlug("x");
    const tag = (name: string) => ({ slug: `${name.toLowerCase().replace(/[^a-z]/g, "")}-${m}`, name: `${name} ${m}` });
    const [zebra, aepfel, banane, hidden] = [tag("Zebra"), tag("Äpfel"), tag("Banane"), tag("Versteckt")];
    await insertArticle({ tags: [zebra, aepfel] });
    await insertArticle({ tags: [aepfel] });
    await insertArticle({ tags: [banane] });
    await insertArticle({ tags: [aepfel, hidden], status: "draft", publishedAt: null });
    await insertArticle({ tags: [hidden], publishedAt: Date.now() + 86_400_000 });
    const { res, html } = await page("/tags");
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-tag")).toBe("archive");
    const mine = findElements(html, "a").flatMap((a) => (a.attrs.href?.endsWith(m) ? [a.attrs.href] : []));
    expect(mine).toEqual([`/tags/${aepfel.slug}`, `/tags/${banane.slug}`, `/tags/${zebra.slug}`]);
    expect(itemText(html, `/tags/${aepfel.slug}`)).toBe(`Äpfel ${m} (2 Artikel)`);
    expect(itemText(html, `/tags/${zebra.slug}`)).toBe(`Zebra ${m} (1 Artikel)`);
  });
});

describe("translations", () => {
  async function insertPair(extra: { deStatus?: "draft" | "published"; tag?: { slug: string; name: string }; publishedAt?: number } = {}) {
    const key = uniqueSlug("key");
    const tags = extra.tag ? [extra.tag] : [];
    const publishedAt = extra.publishedAt ?? Date.now() - 1000;
    const de = await insertArticle({ title: `Deutsch ${key}`, translationKey: key, tags, publishedAt, status: extra.deStatus });
    const en = await insertArticle({ lang: "en", title: `English ${key}`, translationKey: key, tags, publishedAt: publishedAt + 1 });
    return { de, en, key };
  }

  it("links each article's published translations near its title, in the page's language", async () => {
    const { de, en, key } = await insertPair();
    const dePage = (await page(`/articles/${de.slug}`)).html;
    const deLink = findElements(dePage, "a").find((a) => a.attrs.href === `/articles/${en.slug}`);
    expect(deLink?.attrs).toMatchObject({ hreflang: "en", lang: "en" });
    expect(deLink?.text).toBe(`English ${key}`);
    expect(findElements(dePage, "p", "translations")[0]?.text).toBe(`Auch auf Englisch: English ${key}`);
    const enPage = (await page(`/articles/${en.slug}`)).html;
    expect(findElements(enPage, "p", "translations")[0]?.text).toBe(`Also in German: Deutsch ${key}`);
    expect(findElements(enPage, "a").find((a) => a.attrs.href === `/articles/${de.slug}`)?.attrs).toMatchObject({ hreflang: "de", lang: "de" });
    const alone = await insertArticle();
    expect(findElements((await page(`/articles/${alone.slug}`)).html, "p", "translations")).toEqual([]);
  });

  it("lists one entry per translation group on home, a tag page, the archive and the feed: German when published, else English", async () => {
    const tag = { slug: uniqueSlug("tr"), name: "Übersetzt" };
    const both = await insertPair({ tag });
    const englishOnly = await insertPair({ tag, deStatus: "draft" });
    for (const path of ["/", `/tags/${tag.slug}`]) {
      const links = articleLinks((await page(path)).html);
      expect(links, path).toContain(`/articles/${both.de.slug}`);
      expect(links, path).not.toContain(`/articles/${both.en.slug}`);
      expect(links, path).toContain(`/articles/${englishOnly.en.slug}`);
    }
    for (const path of ["/feed.xml", `/tags/${tag.slug}/feed.xml`]) {
      const feed = await (await get(path)).text();
      expect(feed, path).toContain(`/articles/${both.de.slug}<`);
      expect(feed, path).not.toContain(`/articles/${both.en.slug}<`);
      expect(feed, path).toContain(`/articles/${englishOnly.en.slug}<`);
    }
    const old = await insertPair({ publishedAt: Date.parse("1989-05-10T10:00:00Z") });
    expect(itemText((await page("/archive")).html, "/archive/1989/05")).toBe("Mai 1989 (1 Artikel)");
    expect(articleLinks((await page("/archive/1989/05")).html)).toEqual([`/articles/${old.de.slug}`]);
    const tagIndex = (await page("/tags")).html;
    expect(itemText(tagIndex, `/tags/${tag.slug}`)).toBe("Übersetzt (2 Artikel)");
  });
});
