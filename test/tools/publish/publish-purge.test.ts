import { createMessageBatch, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../../src/index";
import { purgeEdgeAfterPublish } from "../../../tools/lib/purge-edge";
import { type PublishPlan, planPublish, type StoredState } from "../../../tools/publish/publish-plan";
import { listPurgeTags } from "../../../tools/publish/publish-purge";
import { ADMIN_TOKEN } from "../../helpers/admin";
import { articleText, parseSource, sourceFor, storedFrom } from "../../helpers/article-files";
import { insertArticle } from "../../helpers/articles";
import { recordingContext } from "../../helpers/edge-cache";

function planOf(result: ReturnType<typeof planPublish>): PublishPlan {
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.plan;
}

describe("what a publish purges", () => {
  it("a new article: its own tags, its tag pages, the home pages, the site feed, the sitemap, search and archive", async () => {
    const source = await sourceFor("neu", ["tags: [KMU, Internet]", "translationKey: kmu"]);
    const tags = listPurgeTags(planOf(planPublish([source], { articles: [], aliases: [] }, { prune: false })));
    expect(tags.sort()).toEqual(["a:neu", "archive", "feed", "list", "search", "sitemap", "t:internet", "t:kmu", "tr:kmu"].sort());
  });

  it("an edited article: only what shows it (lists and feeds carry its a: tag), its tags, the sitemap, search results and the archive", async () => {
    const old = await sourceFor("bestand", ["tags: [KMU]"]);
    const edited = await sourceFor("bestand", ["tags: [KMU]", "summary: Neu zusammengefasst."]);
    const plan = planOf(planPublish([edited], { articles: [storedFrom(old)], aliases: [] }, { prune: false }));
    expect(listPurgeTags(plan).sort()).toEqual(["a:bestand", "archive", "search", "sitemap", "t:kmu"]);
  });

  it("an article taken offline shifts the lists; an unchanged run purges nothing", async () => {
    const gone = await sourceFor("weg");
    const stays = await sourceFor("bleibt");
    const state = { articles: [storedFrom(gone), storedFrom(stays)], aliases: [] };
    expect(listPurgeTags(planOf(planPublish([stays], state, { prune: true }))).sort()).toEqual(["a:weg", "archive", "feed", "list", "search", "sitemap"]);
    expect(listPurgeTags(planOf(planPublish([stays], { articles: [storedFrom(stays)], aliases: [] }, { prune: false })))).toEqual([]);
  });

  it("a page in the navigation or with a role purges every page's navigation, but no list or feed", async () => {
    const page = (slug: string, extra: string[] = []) => parseSource(`pages/${slug}.md`, articleText([`title: Seite ${slug}`, ...extra]));
    const plan = (sources: Awaited<ReturnType<typeof page>>[], state: StoredState = { articles: [], aliases: [] }, prune = false) =>
      listPurgeTags(planOf(planPublish(sources, state, { prune }))).sort();
    expect(plan([await page("ueber-uns", ["nav: header", "navOrder: 1"])])).toEqual(["a:ueber-uns", "archive", "nav", "search", "sitemap"]);
    expect(plan([await page("impressum", ["role: imprint"])])).toEqual(["a:impressum", "archive", "nav", "search", "sitemap"]);
    // A page nothing links: its own page, the sitemap, and search and archive (any publish may change them).
    expect(plan([await page("versteckt")])).toEqual(["a:versteckt", "archive", "search", "sitemap"]);
    // Taken out of the navigation: the stored place still shows on every page until purged.
    const placed = await page("kontakt", ["nav: footer"]);
    const unplaced = await page("kontakt", ["summary: Jetzt ohne Platz."]);
    const stored = { articles: [storedFrom(placed, { kind: "page" as const, nav: "footer" as const })], aliases: [] };
    expect(plan([unplaced], stored)).toEqual(["a:kontakt", "archive", "nav", "search", "sitemap"]);
    // Removed with --prune: its link goes from every page; lists never showed it.
    const privacy = await page("datenschutz", ["role: privacy"]);
    const gone = { articles: [storedFrom(privacy, { kind: "page" as const, role: "privacy" as const })], aliases: [] };
    expect(plan([], gone, true)).toEqual(["a:datenschutz", "archive", "nav", "search", "sitemap"]);
    // A plain edit of an article touches no navigation.
    const article = await sourceFor("artikel");
    const edited = await sourceFor("artikel", ["summary: Neu."]);
    expect(plan([edited], { articles: [storedFrom(article)], aliases: [] })).toEqual(["a:artikel", "archive", "search", "sitemap"]);
  });

  it("the CLI hands the tags to the deployed Worker, which purges them", async () => {
    const { ctx, purges } = recordingContext();
    const deployed: typeof fetch = async (input, init) => worker.fetch(new Request(input as string, init), env, ctx);
    const out: string[] = [];
    const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
    expect(await purgeEdgeAfterPublish(["list", "a:neu", "search", "archive"], { siteUrl: "https://blog.test", token: ADMIN_TOKEN }, io, deployed)).toBe(true);
    expect(purges[0]).toEqual(["list", "a:neu", "search", "archive"]);
    expect(out).toEqual(["Purged 4 cache tag(s) at the edge."]);
    expect(await purgeEdgeAfterPublish(["list"], { siteUrl: "https://blog.test", token: undefined }, io, deployed)).toBe(false);
    expect(await purgeEdgeAfterPublish(["list"], { siteUrl: "https://blog.test", token: "falsch-0123456789abcdef" }, io, deployed)).toBe(false);
    expect(out.slice(1).every((l) => l.startsWith("ERR Edge cache not purged"))).toBe(true);
    expect(purges.length).toBe(1);
  });
});

describe("the queue consumer purges when it publishes at once", () => {
  it("first_time approval purges the article's comment pages; a held comment purges nothing", async () => {
    const { id } = await insertArticle();
    const email = `stamm.${crypto.randomUUID()}@example.com`;
    await env.DB.prepare(
      "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES (?, ?, 'Stamm', ?, 'x', '<p>x</p>', 'approved', 1)",
    )
      .bind(crypto.randomUUID(), id, email)
      .run();
    const message = (author: string, mail: string) => ({
      v: 1,
      id: crypto.randomUUID(),
      articleId: id,
      lang: "de",
      ipHash: null,
      userAgent: null,
      submittedAt: Date.now(),
      author,
      email: mail,
      url: null,
      comment: "Wieder da",
      parentId: null,
    });
    const { ctx, purges } = recordingContext();
    const batch = createMessageBatch("edge-blog-comments", [
      { id: "known", timestamp: new Date(), attempts: 1, body: message("Stamm", email) },
      { id: "new", timestamp: new Date(), attempts: 1, body: message("Neu", "neu@example.com") },
    ]);
    await worker.queue(batch, { ...env, COMMENT_MODERATION: "first_time" }, ctx);
    expect(purges).toEqual([[`c:${id}`, "comments"]]);
  });
});
