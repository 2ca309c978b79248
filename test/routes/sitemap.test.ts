// /sitemap.xml and /robots.txt.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { insertArticle, insertPage, uniqueSlug } from "../helpers/articles";
import { parseXml } from "../helpers/feeds";
import { get } from "../helpers/http";

const SITE = "http://localhost:8787";

async function fetchSitemap(): Promise<Map<string, string | undefined>> {
  const res = await get("/sitemap.xml");
  const body = await res.text();
  expect(res.status).toBe(200);
  expect(res.headers.get("Content-Type")).toBe("application/xml; charset=utf-8");
  const urlset = parseXml(body).urlset;
  expect(urlset["@xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
  return new Map(urlset.url.map((u: { loc: string; lastmod?: string }) => [u.loc, u.lastmod]));
}

describe("GET /sitemap.xml", () => {
  it("lists the home page, every visible article with its last change and every tag in use", async () => {
    const tag = uniqueSlug("tag");
    const draftTag = uniqueSlug("tag");
    const updatedAt = Date.parse("2024-05-02T10:00:00Z");
    const visible = await insertArticle({ publishedAt: Date.parse("2024-05-01T10:00:00Z"), updatedAt, tags: [{ slug: tag, name: "Sichtbar" }] });
    const scheduled = await insertArticle({ publishedAt: Date.now() - 60_000, updatedAt: Date.parse("2020-01-01T00:00:00Z") });
    const draft = await insertArticle({ status: "draft", publishedAt: null, tags: [{ slug: draftTag, name: "Entwurf" }] });
    const future = await insertArticle({ publishedAt: Date.now() + 3_600_000, tags: [{ slug: draftTag, name: "Entwurf" }] });
    const urls = await fetchSitemap();
    expect(urls.has(`${SITE}/`)).toBe(true);
    expect(Date.parse(urls.get(`${SITE}/`) ?? "")).toBeGreaterThanOrEqual(updatedAt);
    for (const path of ["/archive", "/tags"]) expect(Date.parse(urls.get(`${SITE}${path}`) ?? ""), path).toBeGreaterThanOrEqual(updatedAt);
    expect(urls.get(`${SITE}/articles/${visible.slug}`)).toBe("2024-05-02T10:00:00Z");
    // Published later than its stated update: the publish time is the last change.
    expect(Date.parse(urls.get(`${SITE}/articles/${scheduled.slug}`) ?? "")).toBeGreaterThan(Date.now() - 120_000);
    expect(urls.get(`${SITE}/tags/${tag}`)).toBe("2024-05-02T10:00:00Z");
    for (const hidden of [`/articles/${draft.slug}`, `/articles/${future.slug}`, `/tags/${draftTag}`]) expect(urls.has(`${SITE}${hidden}`), hidden).toBe(false);
  });

  it("lists published pages at /<slug>, not drafts, and not under /articles", async () => {
    const updatedAt = Date.parse("2024-06-01T08:00:00Z");
    const page = await insertPage({ publishedAt: Date.parse("2024-01-01T00:00:00Z"), updatedAt });
    const draft = await insertPage({ status: "draft", publishedAt: null });
    const urls = await fetchSitemap();
    expect(urls.get(`${SITE}/${page.slug}`)).toBe("2024-06-01T08:00:00Z");
    expect(urls.has(`${SITE}/articles/${page.slug}`)).toBe(false);
    expect(urls.has(`${SITE}/${draft.slug}`)).toBe(false);
  });

  it("answers HEAD and 304, and 405 to other methods", async () => {
    const first = await get("/sitemap.xml", { method: "HEAD" });
    expect(first.status).toBe(200);
    expect(await first.text()).toBe("");
    expect(first.headers.get("ETag")).toMatch(/^W\/"[0-9a-f]{32}"$/);
    const post = await get("/sitemap.xml", { method: "POST" });
    expect(post.status).toBe(405);
    expect(post.headers.get("Allow")).toBe("GET, HEAD");
  });
});

/** Fetches a path with SITEMAP_MAX_URLS set. */
async function fetchWithLimit(path: string, limit: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`https://blog.test${path}`), { ...env, SITEMAP_MAX_URLS: limit }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

const locsOf = (xml: string, element: "url" | "sitemap"): string[] => {
  const root = parseXml(xml)[element === "url" ? "urlset" : "sitemapindex"];
  return [root[element]].flat().map((u: { loc: string }) => u.loc);
};

describe("a sitemap index past SITEMAP_MAX_URLS", () => {
  it("splits the URLs into parts of at most the limit, each URL exactly once, in the plain sitemap's order", async () => {
    const tag = uniqueSlug("tag");
    for (let i = 0; i < 4; i++) await insertArticle({ publishedAt: Date.parse("2024-01-01T00:00:00Z") + i * 60_000, tags: [{ slug: tag, name: tag }] });
    const all = locsOf(await (await fetchWithLimit("/sitemap.xml", "50000")).text(), "url");
    expect(all.length).toBeGreaterThanOrEqual(6);
    expect((await fetchWithLimit("/sitemap-1.xml", "50000")).status).toBe(404);
    for (const limit of [2, 3, all.length - 1]) {
      const index = await fetchWithLimit("/sitemap.xml", String(limit));
      expect(index.status).toBe(200);
      const body = await index.text();
      expect(parseXml(body).sitemapindex["@xmlns"]).toBe("http://www.sitemaps.org/schemas/sitemap/0.9");
      const parts = locsOf(body, "sitemap");
      expect(parts).toEqual(Array.from({ length: Math.ceil(all.length / limit) }, (_, i) => `${SITE}/sitemap-${i + 1}.xml`));
      const listed: string[] = [];
      for (const part of parts) {
        const res = await fetchWithLimit(new URL(part).pathname, String(limit));
        expect(res.status, part).toBe(200);
        expect(res.headers.get("Cache-Tag")).toBe("sitemap");
        const urls = locsOf(await res.text(), "url");
        expect(urls.length, part).toBeLessThanOrEqual(limit);
        listed.push(...urls);
      }
      expect(listed, `limit ${limit}`).toEqual(all);
      expect((await fetchWithLimit(`/sitemap-${parts.length + 1}.xml`, String(limit))).status).toBe(404);
    }
    // At exactly the limit it stays a plain sitemap.
    expect(locsOf(await (await fetchWithLimit("/sitemap.xml", String(all.length))).text(), "url")).toEqual(all);
  });
});

describe("the sitemap at its default part size", () => {
  it("is an index past 1,000 URLs, with parts of at most 1,000 that list every visible article once", async () => {
    const prefix = uniqueSlug("viele");
    const now = Date.now();
    await env.DB.prepare(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1000)
       INSERT INTO articles (slug, title, body_md, body_hash, lang, status, published_at, updated_at)
       SELECT ?1 || '-' || i, 'Artikel ' || i, 'Text', 'x', 'de', 'published', ?2 - i * 1000, ?2 - i * 1000 FROM n`,
    )
      .bind(prefix, now - 3_600_000)
      .run();
    const index = await get("/sitemap.xml");
    expect(index.status).toBe(200);
    const parts = locsOf(await index.text(), "sitemap");
    expect(parts.length).toBeGreaterThanOrEqual(2);
    const listed: string[] = [];
    for (const part of parts) {
      const res = await get(new URL(part).pathname);
      expect(res.status, part).toBe(200);
      const urls = locsOf(await res.text(), "url");
      expect(urls.length, part).toBeLessThanOrEqual(1000);
      listed.push(...urls);
    }
    expect(listed.length).toBe(new Set(listed).size);
    const mine = listed.filter((url) => url.startsWith(`${SITE}/articles/${prefix}-`));
    expect(mine).toHaveLength(1000);
    expect(listed).toContain(`${SITE}/`);
    expect(listed).toContain(`${SITE}/archive`);
  });
});

describe("GET /robots.txt", () => {
  it("allows everything but the admin and names the sitemap by its absolute URL", async () => {
    const res = await get("/robots.txt");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("Cache-Control")).toBe("public, max-age=0, must-revalidate");
    const lines = (await res.text()).split("\n");
    expect(lines).toEqual(["User-agent: *", "Disallow: /admin/", "Allow: /", "", `Sitemap: ${SITE}/sitemap.xml`, ""]);
    const etag = res.headers.get("ETag") ?? "";
    expect((await get("/robots.txt", { headers: { "If-None-Match": etag } })).status).toBe(304);
    expect((await get("/robots.txt", { method: "DELETE" })).status).toBe(405);
  });
});

// Two ways crawlers read the rules of a group.
interface RobotsRule {
  allow: boolean;
  path: string;
}

function parseRobotsRules(text: string): RobotsRule[] {
  return text
    .split("\n")
    .map((line) => /^(allow|disallow):\s*(\S*)/i.exec(line.trim()))
    .filter((m): m is RegExpExecArray => m !== null && m[2] !== "")
    .map((m) => ({ allow: (m[1] ?? "").toLowerCase() === "allow", path: m[2] ?? "" }));
}

/** Python's urllib.robotparser: the first rule whose path starts the URL's path decides. */
function isAllowedFirstMatch(rules: RobotsRule[], path: string): boolean {
  return rules.find((rule) => path.startsWith(rule.path))?.allow ?? true;
}

/** RFC 9309, 2.2.2: the longest matching path decides; on a tie, allow wins. */
function isAllowedLongestMatch(rules: RobotsRule[], path: string): boolean {
  const matching = rules.filter((rule) => path.startsWith(rule.path));
  if (matching.length === 0) return true;
  const longest = Math.max(...matching.map((rule) => rule.path.length));
  return matching.some((rule) => rule.path.length === longest && rule.allow);
}

describe("robots.txt read by first-match and longest-match crawlers", () => {
  it("keeps both out of /admin/ and lets both into everything else", async () => {
    const rules = parseRobotsRules(await (await get("/robots.txt")).text());
    expect(rules.length).toBeGreaterThan(0);
    const cases: [string, boolean][] = [
      ["/admin/", false],
      ["/admin/login", false],
      ["/admin/api/comments", false],
      ["/admin/comments/x/approve", false],
      ["/", true],
      ["/articles/internet-und-kmu-ein-versuch", true],
      ["/tags/kmu", true],
      ["/feed.xml", true],
      ["/sitemap.xml", true],
      ["/assets/site.css", true],
    ];
    for (const [path, allowed] of cases) {
      expect(isAllowedFirstMatch(rules, path), `first match: ${path}`).toBe(allowed);
      expect(isAllowedLongestMatch(rules, path), `longest match: ${path}`).toBe(allowed);
    }
  });
});
