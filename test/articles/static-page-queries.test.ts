// Static pages: published by the same SQL as articles into the articles table
// (kind 'page'), read by src/articles/static-page-queries.ts, and kept out of everything that
// lists, feeds or serves articles. Real local D1, SQL as the publisher writes it.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { listFeedArticles } from "../../src/articles/feed-queries";
import { getAliasTarget, getPublishedArticle, listPublishedArticles } from "../../src/articles/queries";
import { listSitemapEntries } from "../../src/articles/sitemap-queries";
import { getPublishedStaticPage, listNavigationEntries } from "../../src/articles/static-page-queries";
import { getDb } from "../../src/db/client";
import type { ArticleSource } from "../../tools/publish/front-matter";
import { planPublish, type StoredState } from "../../tools/publish/publish-plan";
import { buildPublishStatements } from "../../tools/publish/publish-sql";
import { articleText, parseSource, sourceFor } from "../helpers/article-files";
import { uniqueSlug } from "../helpers/articles";

const db = getDb(env.DB);
const HOUR = 3_600_000;

function pageFor(slug: string, extra: string[] = []): Promise<ArticleSource> {
  return parseSource(`pages/${slug}.md`, articleText([`title: Seite ${slug}`, ...extra], "Angaben gemäß § 5 DDG.\n"));
}

async function publish(sources: ArticleSource[], now = Date.now()): Promise<void> {
  const state: StoredState = { articles: [], aliases: [] };
  const result = planPublish(sources, state, { prune: false });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  for (const statements of buildPublishStatements(result.plan, { now })) await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

async function getRow(slug: string) {
  return env.DB.prepare("SELECT kind, nav, nav_order, role, comments, status FROM articles WHERE slug = ?").bind(slug).first();
}

describe("publishing pages", () => {
  it("stores a page with kind, navigation and role, and an article as kind article without them", async () => {
    const [page, article] = [uniqueSlug("impressum"), uniqueSlug("artikel")];
    await publish([await pageFor(page, ["nav: footer", "navOrder: 2", "role: imprint"]), await sourceFor(article)]);
    expect(await getRow(page)).toEqual({ kind: "page", nav: "footer", nav_order: 2, role: "imprint", comments: "closed", status: "published" });
    expect(await getRow(article)).toEqual({ kind: "article", nav: null, nav_order: null, role: null, comments: "open", status: "published" });
  });

  it("clears navigation and role when the file drops them, and turns a page into an article when its file moves", async () => {
    const slug = uniqueSlug("ueber-uns");
    await publish([await pageFor(slug, ["nav: header", "navOrder: 1", "role: privacy"])]);
    await publish([await pageFor(slug)]);
    expect(await getRow(slug)).toMatchObject({ kind: "page", nav: null, nav_order: null, role: null });
    await publish([await sourceFor(slug)]);
    expect(await getRow(slug)).toMatchObject({ kind: "article", nav: null, role: null });
  });

  it("refuses a kind, nav or role outside the allowed values in D1 itself", async () => {
    for (const [column, value] of [
      ["kind", "post"],
      ["nav", "sidebar"],
      ["role", "legal"],
    ]) {
      const insert = env.DB.prepare(
        `INSERT INTO articles (slug, title, body_md, body_hash, lang, updated_at, ${column}) VALUES (?, 'T', 'x', 'h', 'de', 0, ?)`,
      ).bind(uniqueSlug("check"), value);
      await expect(insert.run()).rejects.toThrow(/CHECK constraint failed/);
    }
  });
});

describe("page queries", () => {
  it("getPublishedStaticPage finds a visible page, and not an article, a draft or a scheduled page", async () => {
    const now = Date.now();
    const [page, draft, later, article] = [uniqueSlug("seite"), uniqueSlug("entwurf"), uniqueSlug("spaeter"), uniqueSlug("artikel")];
    await publish(
      [
        await pageFor(page, ["summary: Kurz.", "nav: header", "navOrder: 3"]),
        await pageFor(draft, ["draft: true"]),
        await pageFor(later, [`date: ${new Date(now + 2 * HOUR).toISOString()}`]),
        await sourceFor(article),
      ],
      now,
    );
    expect(await getPublishedStaticPage(db, page, now)).toMatchObject({
      slug: page,
      title: `Seite ${page}`,
      summary: "Kurz.",
      lang: "de",
      comments: "closed",
      nav: "header",
      navOrder: 3,
      role: null,
      publishedAt: now,
      bodyHtml: "<p>Angaben gemäß § 5 DDG.</p>\n",
    });
    expect(await getPublishedStaticPage(db, draft, now)).toBeNull();
    expect(await getPublishedStaticPage(db, later, now)).toBeNull();
    expect(await getPublishedStaticPage(db, later, now + 3 * HOUR)).toMatchObject({ slug: later });
    expect(await getPublishedStaticPage(db, article, now)).toBeNull();
    for (const name of ["constructor", "__proto__", "toString"]) expect(await getPublishedStaticPage(db, name, now)).toBeNull();
  });

  it("listNavigationEntries lists placed and role pages: header and footer in order, unordered last, unplaced role pages after", async () => {
    const now = Date.now();
    const s = (name: string) => `${name}-${uniqueSlug("nav")}`;
    const [h2, h1, hNone, f1, roleOnly, unplaced, draft] = [s("h2"), s("h1"), s("hnone"), s("f1"), s("role"), s("unplaced"), s("draft")];
    await publish(
      [
        await pageFor(h2, ["nav: header", "navOrder: 2"]),
        await pageFor(h1, ["nav: header", "navOrder: 1"]),
        await pageFor(hNone, ["nav: header"]),
        await pageFor(f1, ["nav: footer", "navOrder: 1", "role: imprint"]),
        await pageFor(roleOnly, ["role: privacy"]),
        await pageFor(unplaced),
        await pageFor(draft, ["nav: header", "draft: true"]),
      ],
      now,
    );
    const mine = new Set([h2, h1, hNone, f1, roleOnly, unplaced, draft]);
    const listed = (await listNavigationEntries(db, now)).filter((p) => mine.has(p.slug));
    expect(listed).toEqual([
      { slug: f1, title: `Seite ${f1}`, lang: "de", nav: "footer", navOrder: 1, role: "imprint" },
      { slug: h1, title: `Seite ${h1}`, lang: "de", nav: "header", navOrder: 1, role: null },
      { slug: h2, title: `Seite ${h2}`, lang: "de", nav: "header", navOrder: 2, role: null },
      { slug: hNone, title: `Seite ${hNone}`, lang: "de", nav: "header", navOrder: null, role: null },
      { slug: roleOnly, title: `Seite ${roleOnly}`, lang: "de", nav: null, navOrder: null, role: "privacy" },
    ]);
  });
});

describe("pages stay out of what lists, feeds and serves articles", () => {
  it("lists, tag pages, feeds, the sitemap, the article route and aliases leave pages out", async () => {
    const now = Date.now();
    const tag = uniqueSlug("tag");
    const [page, article] = [uniqueSlug("seite"), uniqueSlug("artikel")];
    await publish([await pageFor(page, [`tags: [${tag}]`, `aliases: [${page}-alt]`]), await sourceFor(article, [`tags: [${tag}]`])], now);
    const slugsOf = (items: { slug: string }[]) => items.map((i) => i.slug).filter((slug) => slug === page || slug === article);
    expect(slugsOf((await listPublishedArticles(db, { now, limit: 1000, offset: 0, defaultLang: "de" })).items)).toEqual([article]);
    expect(slugsOf((await listPublishedArticles(db, { now, limit: 10, offset: 0, defaultLang: "de", tagSlug: tag })).items)).toEqual([article]);
    expect(slugsOf((await listFeedArticles(db, { now, limit: 1000, defaultLang: "de" })).items)).toEqual([article]);
    expect(slugsOf((await listFeedArticles(db, { now, limit: 10, defaultLang: "de", tagSlug: tag })).items)).toEqual([article]);
    expect(slugsOf((await listSitemapEntries(db, now, { start: 0, count: 10_000 })).articles)).toEqual([article]);
    expect(await getPublishedArticle(db, page, now)).toBeNull();
    expect(await getAliasTarget(db, `${page}-alt`, now)).toBeNull();
    expect((await SELF.fetch(`https://blog.test/articles/${page}`)).status).toBe(404);
    const feed = await (await SELF.fetch(`https://blog.test/tags/${tag}/feed.xml`)).text();
    expect(feed).toContain(article);
    expect(feed).not.toContain(page);
  });

  it("a scheduled page does not make article lists expire early", async () => {
    const now = Date.now();
    await publish([await pageFor(uniqueSlug("bald"), [`date: ${new Date(now + 60_000).toISOString()}`])], now);
    const { nextScheduledAt } = await listPublishedArticles(db, { now, limit: 1, offset: 0, defaultLang: "de" });
    expect(nextScheduledAt === null || nextScheduledAt > now + 60_000).toBe(true);
  });
});
