// A reader's GET reads D1 and writes nothing, on every reader route; the one
// exception (docs/architecture.md) is an article whose stored HTML is missing
// or stale, rendered on its first view and stored once.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { isReadOnlySql } from "../../src/db/retry";
import worker from "../../src/index";
import { insertArticle, insertPage, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { watchD1 } from "../helpers/d1-watch";
import { ORIGIN } from "../helpers/http";

/** The statements one GET ran that are not reads (deferred work included), and its status. */
async function writesOf(path: string): Promise<{ status: number; writes: string[] }> {
  const watched = watchD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual" }), { ...env, DB: watched.db }, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  const statements = watched.executions.flatMap((e) => e.statements);
  return { status: res.status, writes: statements.filter((sql) => !isReadOnlySql(sql)) };
}

describe("reader pages never write", () => {
  it("reads only, on every reader route", async () => {
    const tag = uniqueSlug("tag");
    const { id, slug } = await insertArticle({ tags: [{ slug: tag, name: tag }], publishedAt: Date.parse("1973-03-03T10:00:00Z") });
    const comment = await insertComment(id, "approved", "Ein gelesener Kommentar.");
    const page = await insertPage({ nav: "footer", navOrder: 1 });
    // No archive counts kept: the archive counts for itself.
    await env.DB.prepare("DELETE FROM archive_counts").run();
    const paths = [
      "/",
      "/?page=2",
      `/articles/${slug}`,
      `/articles/${slug}/comment-page-1`,
      `/comments/${comment}`,
      `/tags/${tag}`,
      "/tags",
      "/archive",
      "/archive/1973/03",
      "/search?q=Absatz",
      "/feed.xml",
      "/atom.xml",
      "/feed.json",
      `/tags/${tag}/feed.xml`,
      "/comments/feed.xml",
      `/articles/${slug}/comments/feed.json`,
      "/sitemap.xml",
      "/robots.txt",
      "/opensearch.xml",
      `/${page.slug}`,
      "/no-such-page",
    ];
    for (const path of paths) {
      const { status, writes } = await writesOf(path);
      expect(status, path).toBeLessThan(500);
      expect(writes, path).toEqual([]);
    }
  });

  it("stores an article's HTML once when none is stored (the one exception), then reads only", async () => {
    const { slug } = await insertArticle({ bodyHtml: null });
    const first = await writesOf(`/articles/${slug}`);
    expect(first.status).toBe(200);
    expect(first.writes).toHaveLength(1);
    expect(first.writes[0]).toMatch(/^update "articles"/i);
    expect(await writesOf(`/articles/${slug}`)).toEqual({ status: 200, writes: [] });
  });
});
