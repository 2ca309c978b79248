import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { purgeEdgeAfterPublish } from "../../tools/lib/purge-edge";
import { planPublish } from "../../tools/publish/publish-plan";
import { listPurgeTags } from "../../tools/publish/publish-purge";
import { buildPublishStatements } from "../../tools/publish/publish-sql";
import { ADMIN_TOKEN } from "../helpers/admin";
import { sourceFor } from "../helpers/article-files";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { workersCacheStandIn } from "../helpers/workers-cache";

describe("pages behind the edge cache (a stand-in for Workers Cache)", () => {
  it("miss, then hit without the Worker; an approval purges the article and the next request shows the comment", async () => {
    const edge = workersCacheStandIn();
    const { id, slug } = await insertArticle();
    const comment = await insertComment(id, "pending", "Hinter dem Cache");
    const first = await edge.fetchThrough(`/articles/${slug}`);
    expect(first.hit).toBe(false);
    const second = await edge.fetchThrough(`/articles/${slug}`);
    expect(second.hit).toBe(true);
    expect(await second.res.text()).not.toContain("Hinter dem Cache");

    const approve = await edge.fetchThrough(`/admin/api/comments/${comment}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "approved" }),
    });
    expect(approve.res.status).toBe(200);
    const third = await edge.fetchThrough(`/articles/${slug}`);
    expect(third.hit).toBe(false);
    expect(await third.res.text()).toContain("Hinter dem Cache");
    expect((await edge.fetchThrough(`/articles/${slug}`)).hit).toBe(true);
  });

  it("an approval purges the lists that count the article's comments, and nothing else", async () => {
    const edge = workersCacheStandIn();
    const a = await insertArticle({ publishedAt: Date.now() - 10 });
    const b = await insertArticle({ publishedAt: Date.now() - 20 });
    const comment = await insertComment(a.id, "pending");
    await edge.fetchThrough("/");
    await edge.fetchThrough(`/articles/${a.slug}`);
    await edge.fetchThrough(`/articles/${b.slug}`);
    await edge.fetchThrough("/feed.xml");
    expect((await edge.fetchThrough("/")).hit).toBe(true);
    await edge.fetchThrough(`/admin/api/comments/${comment}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "approved" }),
    });
    expect((await edge.fetchThrough("/")).hit).toBe(false);
    expect((await edge.fetchThrough(`/articles/${a.slug}`)).hit).toBe(false);
    expect((await edge.fetchThrough(`/articles/${b.slug}`)).hit).toBe(true);
    expect((await edge.fetchThrough("/feed.xml")).hit).toBe(true);
  });

  it("a publish purges what it changed: the edited article's page and the lists showing it", async () => {
    const edge = workersCacheStandIn();
    const slug = `flow-${crypto.randomUUID().slice(0, 8)}`;
    const original = await sourceFor(slug, ["date: 2020-01-01", "tags: [Fluss]"], "Alter Text.\n");
    const write = async (statements: string[][]) => {
      for (const file of statements) await env.DB.batch(file.map((sql) => env.DB.prepare(sql)));
    };
    const first = planPublish([original], { articles: [], aliases: [] }, { prune: false });
    if (!first.ok) throw new Error("plan");
    await write(buildPublishStatements(first.plan, { now: Date.now() }));
    expect(await (await edge.fetchThrough(`/articles/${slug}`)).res.text()).toContain("Alter Text.");
    await edge.fetchThrough("/tags/fluss");
    expect((await edge.fetchThrough(`/articles/${slug}`)).hit).toBe(true);

    const edited = await sourceFor(slug, ["date: 2020-01-01", "tags: [Fluss]"], "Neuer Text.\n");
    const stored = { slug, sourceHash: original.sourceHash, htmlVersion: null, sourcePath: original.path, commentCount: 0 };
    const second = planPublish([edited], { articles: [stored], aliases: [] }, { prune: false });
    if (!second.ok) throw new Error("plan");
    await write(buildPublishStatements(second.plan, { now: Date.now() }));
    // Still the old page: D1 changed behind the Worker's back, until the CLI asks it to purge.
    expect((await edge.fetchThrough(`/articles/${slug}`)).hit).toBe(true);
    const deployed: typeof fetch = async (input, init) => (await edge.fetchThrough(new URL(String(input)).pathname, init)).res;
    const io = { out: () => {}, err: (l: string) => console.error(l) };
    expect(await purgeEdgeAfterPublish(listPurgeTags(second.plan), { siteUrl: "https://blog.test", token: ADMIN_TOKEN }, io, deployed)).toBe(true);
    const after = await edge.fetchThrough(`/articles/${slug}`);
    expect(after.hit).toBe(false);
    expect(await after.res.text()).toContain("Neuer Text.");
    expect((await edge.fetchThrough("/tags/fluss")).hit).toBe(false);
  });

  it("never stores a response that sets a cookie or a page made for one person", async () => {
    const edge = workersCacheStandIn();
    const { slug } = await insertArticle();
    await edge.fetchThrough(`/articles/${slug}?replyto=x`);
    await edge.fetchThrough(`/articles/${slug}`, { headers: { Cookie: "comment_author=eyJ4Ijp9" } });
    await edge.fetchThrough("/admin/login");
    for (const key of edge.store.keys()) expect(key).not.toMatch(/admin/);
    expect([...edge.store.values()].every((e) => !e.headers.some(([name]) => name === "set-cookie"))).toBe(true);
  });
});
