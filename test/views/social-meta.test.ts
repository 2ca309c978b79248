// What search engines and link previews read in the head: feed autodiscovery,
// Open Graph, the Twitter card, JSON-LD and hreflang.
import { describe, expect, it } from "vitest";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { alternateLinks, type HeadElement, metaValues, readHead } from "../helpers/head";
import { get } from "../helpers/http";

const SITE = "http://localhost:8787";

async function fetchHead(path: string, status = 200): Promise<HeadElement[]> {
  const res = await get(path);
  const html = await res.text();
  expect(res.status, path).toBe(status);
  return readHead(html);
}

function feedLinks(head: HeadElement[]) {
  return alternateLinks(head).filter((link) => link.type !== undefined);
}

function jsonLd(head: HeadElement[]): Record<string, unknown>[] {
  return head.filter((el) => el.tag === "script" && el.attrs.type === "application/ld+json").map((el) => JSON.parse(el.text));
}

const SITE_FEEDS = [
  { type: "application/rss+xml", title: "Agenturblog (RSS)", href: `${SITE}/feed.xml` },
  { type: "application/atom+xml", title: "Agenturblog (Atom)", href: `${SITE}/atom.xml` },
  { type: "application/feed+json", title: "Agenturblog (JSON Feed)", href: `${SITE}/feed.json` },
  { type: "application/rss+xml", title: "Agenturblog – Kommentare (RSS)", href: `${SITE}/comments/feed.xml` },
  { type: "application/atom+xml", title: "Agenturblog – Kommentare (Atom)", href: `${SITE}/comments/atom.xml` },
  { type: "application/feed+json", title: "Agenturblog – Kommentare (JSON Feed)", href: `${SITE}/comments/feed.json` },
];

describe("feed autodiscovery", () => {
  it("announces the site's feeds on every page, error pages included", async () => {
    for (const [path, status] of [
      ["/", 200],
      ["/gibt-es-nicht", 404],
    ] as const) {
      expect(feedLinks(await fetchHead(path, status)), path).toEqual(SITE_FEEDS);
    }
  });

  it("adds a tag's feeds on its page and an article's comment feed on the article", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertArticle({ title: "Mit Feed", tags: [{ slug: tag, name: "Netz" }] });
    expect(feedLinks(await fetchHead(`/tags/${tag}`)).slice(6)).toEqual([
      { type: "application/rss+xml", title: "Agenturblog – Schlagwort „Netz“ (RSS)", href: `${SITE}/tags/${tag}/feed.xml` },
      { type: "application/atom+xml", title: "Agenturblog – Schlagwort „Netz“ (Atom)", href: `${SITE}/tags/${tag}/atom.xml` },
      { type: "application/feed+json", title: "Agenturblog – Schlagwort „Netz“ (JSON Feed)", href: `${SITE}/tags/${tag}/feed.json` },
    ]);
    const articleFeeds = feedLinks(await fetchHead(`/articles/${slug}`)).slice(6);
    expect(articleFeeds.map((link) => [link.title, link.href])).toEqual([
      ["Kommentare zu „Mit Feed“ (RSS)", `${SITE}/articles/${slug}/comments/feed.xml`],
      ["Kommentare zu „Mit Feed“ (Atom)", `${SITE}/articles/${slug}/comments/atom.xml`],
      ["Kommentare zu „Mit Feed“ (JSON Feed)", `${SITE}/articles/${slug}/comments/feed.json`],
    ]);
  });

  it("announces no comment feed for an article with closed comments and none to read", async () => {
    const { slug } = await insertArticle({ comments: "closed" });
    expect(feedLinks(await fetchHead(`/articles/${slug}`))).toEqual(SITE_FEEDS);
  });
});

describe("Open Graph and the Twitter card", () => {
  it("describes the home page as a website", async () => {
    const head = await fetchHead("/");
    expect(metaValues(head, "og:type")).toEqual(["website"]);
    expect(metaValues(head, "og:title")).toEqual(["Agenturblog"]);
    expect(metaValues(head, "og:url")).toEqual([`${SITE}/`]);
    expect(metaValues(head, "og:site_name")).toEqual(["Agenturblog"]);
    expect(metaValues(head, "og:locale")).toEqual(["de_DE"]);
    expect(metaValues(head, "og:description")[0]).toContain("kleinen Agentur");
    expect(metaValues(head, "twitter:card")).toEqual(["summary"]);
    expect(metaValues(head, "og:image")).toEqual([]);
    expect(jsonLd(head)).toEqual([]);
  });

  it("describes an article with its image, dates and tags", async () => {
    const publishedAt = Date.parse("2024-03-12T08:00:00Z");
    const { slug } = await insertArticle({
      title: "Mit Bild",
      summary: "Worum es geht.",
      bodyMd: "Vorher.\n\n![Bild](/media/bild.svg?a=1&b=2)\n\n![](/media/zweites.svg)",
      publishedAt,
      updatedAt: Date.parse("2024-03-20T10:00:00Z"),
      tags: [
        { slug: uniqueSlug("t"), name: "Web" },
        { slug: uniqueSlug("t"), name: "KMU" },
      ],
    });
    const head = await fetchHead(`/articles/${slug}`);
    expect(metaValues(head, "og:type")).toEqual(["article"]);
    expect(metaValues(head, "og:title")).toEqual(["Mit Bild"]);
    expect(metaValues(head, "og:description")).toEqual(["Worum es geht."]);
    expect(metaValues(head, "description")).toEqual(["Worum es geht."]);
    expect(metaValues(head, "og:url")).toEqual([`${SITE}/articles/${slug}`]);
    expect(metaValues(head, "og:image")).toEqual([`${SITE}/media/bild.svg?a=1&b=2`]);
    expect(metaValues(head, "article:published_time")).toEqual(["2024-03-12T08:00:00.000Z"]);
    expect(metaValues(head, "article:modified_time")).toEqual(["2024-03-20T10:00:00.000Z"]);
    expect(metaValues(head, "article:tag")).toEqual(["KMU", "Web"]);
    expect(metaValues(head, "twitter:card")).toEqual(["summary_large_image"]);
  });

  it("falls back to the summary card without an image, and speaks the article's language", async () => {
    const { slug } = await insertArticle({ lang: "en", bodyMd: 'No picture here, only `<img src="https://example.com/x.png">` as code.' });
    const head = await fetchHead(`/articles/${slug}`);
    expect(metaValues(head, "og:image")).toEqual([]);
    expect(metaValues(head, "twitter:card")).toEqual(["summary"]);
    expect(metaValues(head, "og:locale")).toEqual(["en_GB"]);
  });

  it("takes an absolute image URL as it is, and no data: or javascript: image", async () => {
    const remote = await insertArticle({ bodyMd: "![](https://cdn.example/a.jpg)" });
    expect(metaValues(await fetchHead(`/articles/${remote.slug}`), "og:image")).toEqual(["https://cdn.example/a.jpg"]);
    const inline = await insertArticle({ bodyMd: "![](data:image/png;base64,AAAA) ![](javascript:alert(1))" });
    expect(metaValues(await fetchHead(`/articles/${inline.slug}`), "og:image")).toEqual([]);
  });

  it("leaves Open Graph off pages without a canonical URL", async () => {
    const head = await fetchHead("/gibt-es-nicht", 404);
    expect(metaValues(head, "og:type")).toEqual([]);
    expect(metaValues(head, "twitter:card")).toEqual([]);
  });
});

describe("JSON-LD on article pages", () => {
  it("describes the article as a schema.org BlogPosting", async () => {
    const { slug } = await insertArticle({
      title: "Strukturiert",
      summary: "Daten für Suchmaschinen.",
      author: "Agenturteam",
      bodyMd: "![](/media/k.svg)",
      publishedAt: Date.parse("2024-01-15T09:00:00Z"),
      updatedAt: Date.parse("2024-01-16T09:00:00Z"),
      tags: [{ slug: uniqueSlug("t"), name: "Daten" }],
    });
    const [data, ...more] = jsonLd(await fetchHead(`/articles/${slug}`));
    expect(more).toEqual([]);
    expect(data).toEqual({
      "@context": "https://schema.org",
      "@type": "BlogPosting",
      headline: "Strukturiert",
      description: "Daten für Suchmaschinen.",
      datePublished: "2024-01-15T09:00:00.000Z",
      dateModified: "2024-01-16T09:00:00.000Z",
      author: { "@type": "Person", name: "Agenturteam" },
      image: [`${SITE}/media/k.svg`],
      inLanguage: "de",
      keywords: "Daten",
      url: `${SITE}/articles/${slug}`,
      mainEntityOfPage: { "@type": "WebPage", "@id": `${SITE}/articles/${slug}` },
      publisher: { "@type": "Organization", name: "Agenturblog" },
    });
  });

  it("keeps a title with </script> inside the JSON: no text can close the element", async () => {
    const title = `</script><script>alert(1)</script><!-- "&'`;
    const { slug } = await insertArticle({ title, summary: "</SCRIPT ><!--<script>", lang: "en" });
    const res = await get(`/articles/${slug}`);
    const html = await res.text();
    const scripts = readHead(html).filter((el) => el.tag === "script");
    expect(scripts).toHaveLength(1);
    const data = JSON.parse(scripts[0]?.text ?? "");
    expect(data).toMatchObject({
      headline: title,
      description: "</SCRIPT ><!--<script>",
      inLanguage: "en",
      author: { "@type": "Organization", name: "Agenturblog" },
    });
    expect(scripts[0]?.text).not.toMatch(/[<>&]/);
  });
});

describe("hreflang between translations", () => {
  it("links every visible language version, the page's own included, with x-default for the site's language", async () => {
    const key = uniqueSlug("key");
    const de = await insertArticle({ lang: "de", translationKey: key });
    const en = await insertArticle({ lang: "en", translationKey: key });
    const expected = [
      { hreflang: "de", href: `${SITE}/articles/${de.slug}` },
      { hreflang: "en", href: `${SITE}/articles/${en.slug}` },
      { hreflang: "x-default", href: `${SITE}/articles/${de.slug}` },
    ];
    for (const slug of [de.slug, en.slug]) {
      const head = await fetchHead(`/articles/${slug}`);
      expect(
        alternateLinks(head)
          .filter((l) => l.hreflang)
          .map(({ hreflang, href }) => ({ hreflang, href })),
      ).toEqual(expected);
    }
    expect(metaValues(await fetchHead(`/articles/${en.slug}`), "og:locale:alternate")).toEqual(["de_DE"]);
  });

  it("links no translation that readers cannot see, and nothing for an article on its own", async () => {
    const key = uniqueSlug("key");
    const de = await insertArticle({ lang: "de", translationKey: key });
    await insertArticle({ lang: "en", translationKey: key, status: "draft", publishedAt: null });
    const future = uniqueSlug("key");
    const de2 = await insertArticle({ lang: "de", translationKey: future });
    await insertArticle({ lang: "en", translationKey: future, publishedAt: Date.now() + 3_600_000 });
    const alone = await insertArticle({ lang: "en" });
    for (const slug of [de.slug, de2.slug, alone.slug]) {
      expect(
        alternateLinks(await fetchHead(`/articles/${slug}`)).filter((l) => l.hreflang),
        slug,
      ).toEqual([]);
    }
  });

  it("shows one version per language, the page's own for its language, when two share a key by mistake", async () => {
    const key = uniqueSlug("key");
    const de = await insertArticle({ lang: "de", translationKey: key });
    const en = await insertArticle({ lang: "en", translationKey: key });
    // Publishing refuses two versions in one language; rows written otherwise must not break the page.
    const en2 = await insertArticle({ lang: "en", translationKey: key });
    for (const own of [en, en2]) {
      const links = alternateLinks(await fetchHead(`/articles/${own.slug}`)).filter((l) => l.hreflang);
      expect(links.map((l) => [l.hreflang, l.href])).toEqual([
        ["de", `${SITE}/articles/${de.slug}`],
        ["en", `${SITE}/articles/${own.slug}`],
        ["x-default", `${SITE}/articles/${de.slug}`],
      ]);
    }
  });
});
