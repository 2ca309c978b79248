// The article feeds: RSS 2.0, Atom and JSON Feed 1.1, site-wide and per tag.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { htmlVersionFor, renderArticleHtml } from "../../src/articles/markdown";
import { escapeXml, removeIllegalXmlChars } from "../../src/feeds/xml";
import { insertArticle, sha256Hex, uniqueSlug } from "../helpers/articles";
import { fetchAllFormats, fetchAtom, fetchJsonFeed, fetchRss, parseXml, renderAsHtml, textOf } from "../helpers/feeds";
import { get } from "../helpers/http";

const SITE = "http://localhost:8787";

/** An article whose stored HTML is current, as the publisher leaves it. */
async function insertRendered(input: Parameters<typeof insertArticle>[0] & { bodyMd: string }) {
  const rendered = renderArticleHtml(input.bodyMd);
  return insertArticle({ ...input, bodyHtml: rendered.html, excerpt: rendered.excerpt, htmlVersion: htmlVersionFor(await sha256Hex(input.bodyMd)) });
}

describe("GET /feed.xml (RSS 2.0)", () => {
  it("has the channel's title, link and description, and each item's title, link, guid, date, author, tags and full HTML", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertRendered({
      title: "Schnelle Seiten",
      summary: "Kurz & knapp.",
      author: "Agenturteam",
      bodyMd: "![Ein Bild](/media/bild.svg)\n\nErster *Absatz*.",
      publishedAt: Date.now() - 1,
      tags: [{ slug: tag, name: "Leistung" }],
    });
    const rss = await fetchRss("/feed.xml");
    expect(rss["@version"]).toBe("2.0");
    const channel = rss.channel;
    expect(channel.title).toBe("Agenturblog");
    expect(channel.link).toContain(`${SITE}/`);
    expect(channel.description).toContain("kleinen Agentur");
    expect(channel.language).toBe("de");
    expect(channel["atom:link"][0]).toMatchObject({ "@href": `${SITE}/feed.xml`, "@rel": "self" });
    const item = channel.item.find((i: { link: string[] }) => i.link[0] === `${SITE}/articles/${slug}`);
    expect(item).toBeDefined();
    expect(item.title).toBe("Schnelle Seiten");
    expect(item.guid).toEqual({ "#text": `${SITE}/articles/${slug}`, "@isPermaLink": "true" });
    expect(Date.parse(item.pubDate)).toBeGreaterThan(Date.now() - 60_000);
    expect(item["dc:creator"]).toBe("Agenturteam");
    expect(item.category).toEqual(["Leistung"]);
    // Readers render description as HTML: what they show is the summary's text.
    expect(renderAsHtml(item.description)).toEqual({ text: "Kurz & knapp.", elements: [] });
    expect(item["content:encoded"]).toContain("<em>Absatz</em>");
    // Relative links would point nowhere in a feed reader.
    expect(item["content:encoded"]).toContain(`src="${SITE}/media/bild.svg"`);
  });

  it("answers HEAD, If-None-Match with 304, and other methods with 405", async () => {
    const tag = uniqueSlug("etag");
    await insertArticle({ tags: [{ slug: tag, name: "ETag" }] });
    for (const file of ["feed.xml", "atom.xml", "feed.json"]) {
      const path = `/tags/${tag}/${file}`;
      const first = await get(path);
      const etag = first.headers.get("ETag");
      expect(etag, path).toMatch(/^W\/"[0-9a-f]{32}"$/);
      expect(first.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
      const head = await get(path, { method: "HEAD" });
      expect(head.status).toBe(200);
      expect(head.headers.get("Content-Type")).toBe(first.headers.get("Content-Type"));
      expect(await head.text()).toBe("");
      const again = await get(path, { headers: { "If-None-Match": etag ?? "" } });
      expect(again.status, path).toBe(304);
    }
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json", "/tags/x/feed.xml", "/comments/feed.json", "/articles/x/comments/atom.xml"]) {
      const res = await get(path, { method: "POST" });
      expect(res.status, path).toBe(405);
      expect(res.headers.get("Allow")).toBe("GET, HEAD");
    }
  });
});

describe("GET /atom.xml and /feed.json", () => {
  it("Atom has the feed's id, title, updated and links, and each entry's id, title, updated, link and content", async () => {
    const { slug } = await insertRendered({
      title: "Atom & Co.",
      bodyMd: "Text mit [Link](/articles/anderer).",
      publishedAt: Date.now() - 1,
      updatedAt: Date.now() - 1,
    });
    const feed = await fetchAtom("/atom.xml");
    expect(feed["@xmlns"]).toBe("http://www.w3.org/2005/Atom");
    expect(feed.id).toBe(`${SITE}/atom.xml`);
    expect(feed.title).toBe("Agenturblog");
    expect(Number.isNaN(Date.parse(feed.updated))).toBe(false);
    expect(feed.link).toEqual(expect.arrayContaining([expect.objectContaining({ "@rel": "self", "@href": `${SITE}/atom.xml` })]));
    expect(feed.author.name).toBe("Agenturblog");
    const entry = feed.entry.find((e: { id: string }) => e.id === `${SITE}/articles/${slug}`);
    expect(textOf(entry.title)).toBe("Atom & Co.");
    expect(entry.link[0]).toMatchObject({ "@rel": "alternate", "@href": `${SITE}/articles/${slug}` });
    expect(Date.parse(entry.updated)).toBeGreaterThanOrEqual(Date.parse(entry.published));
    expect(entry.content["@type"]).toBe("html");
    expect(textOf(entry.content)).toContain(`href="${SITE}/articles/anderer"`);
    expect(textOf(entry.summary)).toBe("Text mit Link.");
  });

  it("JSON Feed 1.1 has version, title and items with id, url and content_html", async () => {
    const { slug } = await insertRendered({
      title: "JSON",
      bodyMd: "Inhalt.",
      lang: "en",
      author: "Ann",
      publishedAt: Date.now() - 1,
      tags: [{ slug: uniqueSlug("t"), name: "Web" }],
    });
    const feed = await fetchJsonFeed("/feed.json");
    expect(feed).toMatchObject({
      version: "https://jsonfeed.org/version/1.1",
      title: "Agenturblog",
      home_page_url: `${SITE}/`,
      feed_url: `${SITE}/feed.json`,
      language: "de",
    });
    const item = feed.items.find((i: { id: string }) => i.id === `${SITE}/articles/${slug}`);
    expect(item).toMatchObject({
      url: `${SITE}/articles/${slug}`,
      title: "JSON",
      content_html: "<p>Inhalt.</p>\n",
      authors: [{ name: "Ann" }],
      tags: ["Web"],
      language: "en",
    });
    expect(Number.isNaN(Date.parse(item.date_published))).toBe(false);
  });
});

describe("what the article feeds include", () => {
  it("leaves out drafts and future articles in every format", async () => {
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    const future = await insertArticle({ publishedAt: Date.now() + 3_600_000 });
    const { rss, atom, json } = await fetchAllFormats("");
    const urls = [...rss.map((i) => i.link[0]), ...atom.map((e) => e.id), ...json.map((i) => i.id)];
    for (const slug of [draft.slug, future.slug]) expect(urls).not.toContain(`${SITE}/articles/${slug}`);
  });

  it("takes in a scheduled article once its time has come", async () => {
    const { slug } = await insertArticle({ publishedAt: Date.now() + 1_000 });
    const url = `${SITE}/articles/${slug}`;
    expect((await fetchJsonFeed("/feed.json")).items.map((i: { id: string }) => i.id)).not.toContain(url);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect((await fetchJsonFeed("/feed.json")).items.map((i: { id: string }) => i.id)).toContain(url);
  });

  it("carries HTML rendered now, and stored, when an older renderer made the stored HTML", async () => {
    const bodyMd = "Neu **gerendert**.";
    const { id, slug } = await insertArticle({ bodyMd, bodyHtml: "<p>alt</p>", htmlVersion: "md0:alt", publishedAt: Date.now() - 1 });
    const feed = await fetchJsonFeed("/feed.json");
    const item = feed.items.find((i: { id: string }) => i.id === `${SITE}/articles/${slug}`);
    expect(item.content_html).toBe(renderArticleHtml(bodyMd).html);
    expect(item.content_html).toContain("<strong>gerendert</strong>");
    const row = await env.DB.prepare("SELECT body_html, html_version FROM articles WHERE id = ?").bind(id).first();
    expect(row).toEqual({ body_html: renderArticleHtml(bodyMd).html, html_version: htmlVersionFor(await sha256Hex(bodyMd)) });
  });

  it("drops characters XML 1.0 forbids and escapes markup in titles", async () => {
    // (A lone surrogate never reaches D1, which stores text as UTF-8; see the escapeXml tests.)
    const { slug } = await insertRendered({ title: "A\u0001B\uFFFE <b>&amp;</b> C\u001F", bodyMd: "Text\u000B.", publishedAt: Date.now() - 1 });
    for (const path of ["/feed.xml", "/atom.xml"]) {
      const body = await (await get(path)).text();
      expect(body).not.toMatch(/[\u0001\u000B\uFFFE]/);
      const doc = parseXml(body);
      const items = path === "/feed.xml" ? doc.rss.channel.item : doc.feed.entry;
      // RSS titles are rendered as HTML by readers, Atom's say type="text".
      const titles = items.map((i: { title: unknown }) => (path === "/feed.xml" ? renderAsHtml(textOf(i.title)).text : textOf(i.title)));
      expect(titles, path).toContain("AB <b>&amp;</b> C");
    }
    const json = await fetchJsonFeed("/feed.json");
    expect(json.items.find((i: { id: string }) => i.id.endsWith(slug)).title).toBe("AB <b>&amp;</b> C");
  });
});

describe("article feeds carry no live markup in their text fields", () => {
  it("keeps titles, authors and tag names as text wherever a reader renders them as HTML", async () => {
    const hostile = "<img src=x onerror=alert(1)> &lt;script&gt; ]]>";
    const tag = uniqueSlug("boese");
    const { slug } = await insertRendered({
      title: `Titel ${hostile}`,
      summary: `Zusammenfassung ${hostile}`,
      author: `Autor ${hostile}`,
      bodyMd: "Harmlos.",
      publishedAt: Date.now() - 1,
      tags: [{ slug: tag, name: `Tag ${hostile}` }],
    });
    for (const base of ["", `/tags/${tag}`]) {
      const rss = await fetchRss(`${base}/feed.xml`);
      const item = rss.channel.item.find((i: { link: string[] }) => i.link[0] === `${SITE}/articles/${slug}`);
      for (const [field, expected] of [
        ["title", `Titel ${hostile}`],
        ["description", `Zusammenfassung ${hostile}`],
        ["dc:creator", `Autor ${hostile}`],
      ]) {
        expect(renderAsHtml(item[field ?? ""]), `${base} ${field}`).toEqual({ text: expected, elements: [] });
      }
      expect(renderAsHtml(item.category[0])).toEqual({ text: `Tag ${hostile}`, elements: [] });
      expect(renderAsHtml(rss.channel.title).elements).toEqual([]);
      const atom = await fetchAtom(`${base}/atom.xml`);
      const entry = atom.entry.find((e: { id: string }) => e.id === `${SITE}/articles/${slug}`);
      expect(entry.title).toEqual({ "#text": `Titel ${hostile}`, "@type": "text" });
      const json = await fetchJsonFeed(`${base}/feed.json`);
      expect(json.items.find((i: { id: string }) => i.id.endsWith(slug)).title).toBe(`Titel ${hostile}`);
    }
  });
});

describe("GET /tags/:tag/feed.xml, atom.xml, feed.json", () => {
  it("lists only that tag's visible articles, newest first, at most 20", async () => {
    const tag = uniqueSlug("serie");
    const slugs: string[] = [];
    for (let i = 0; i < 21; i++) slugs.unshift((await insertArticle({ publishedAt: Date.now() - 100_000 + i, tags: [{ slug: tag, name: "Serie" }] })).slug);
    const other = await insertArticle({ tags: [{ slug: uniqueSlug("anders"), name: "Anders" }] });
    const { rss, atom, json } = await fetchAllFormats(`/tags/${tag}`);
    const expected = slugs.slice(0, 20).map((slug) => `${SITE}/articles/${slug}`);
    expect(rss.map((i) => i.link[0])).toEqual(expected);
    expect(atom.map((e) => e.id)).toEqual(expected);
    expect(json.map((i) => i.url)).toEqual(expected);
    expect(json.map((i) => i.url)).not.toContain(`${SITE}/articles/${other.slug}`);
    const channel = (await fetchRss(`/tags/${tag}/feed.xml`)).channel;
    expect(channel.title).toBe("Agenturblog – Schlagwort „Serie“");
    expect(channel.link).toContain(`${SITE}/tags/${tag}`);
  });

  it("answers 404 for an unknown tag, a tag without visible articles and a malformed one", async () => {
    const tag = uniqueSlug("leer");
    await insertArticle({ status: "draft", publishedAt: null, tags: [{ slug: tag, name: tag }] });
    for (const path of [`/tags/${uniqueSlug("nie")}/feed.xml`, `/tags/${tag}/atom.xml`, "/tags/NICHT_GUELTIG/feed.json"]) {
      expect((await get(path)).status, path).toBe(404);
    }
  });

  it("serves nothing deeper than the feed files", async () => {
    for (const path of ["/tags/x/feed.xml/mehr", "/tags/x/rss.xml", "/articles/x/comments/feed"]) expect((await get(path)).status, path).toBe(404);
  });
});

describe("escapeXml", () => {
  it("escapes markup and drops what XML 1.0 cannot carry, lone surrogates included", () => {
    expect(escapeXml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt;");
    expect(removeIllegalXmlChars("a\u0000b\u0008c\u000Bd\u001Fe\uFFFEf\uFFFFg\uD800h\uDFFFi")).toBe("abcdefghi");
    // Tab, newlines, astral characters (a valid surrogate pair) and private use stay.
    expect(removeIllegalXmlChars("\t\n\r 🙂 \uE000 \u0085")).toBe("\t\n\r 🙂 \uE000 \u0085");
  });
});
