import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { htmlVersionFor, renderArticleHtml } from "../../src/articles/markdown";
import { ownCommentPath, signModerationHash } from "../../src/comments/own-comment";
import worker from "../../src/index";
import { TEN_MINUTE_CRON } from "../../src/jobs";
import { insertArticle, insertPage, sha256Hex, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { countingD1 } from "../helpers/d1-counter";
import { ORIGIN } from "../helpers/http";

async function roundTrips(path: string, vars: Record<string, string> = {}): Promise<{ status: number; trips: number }> {
  const { db, count } = countingD1(env.DB);
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, ...vars, DB: db }, ctx);
  await res.arrayBuffer();
  // Deferred work (waitUntil) counts too.
  await waitOnExecutionContext(ctx);
  return { status: res.status, trips: count() };
}

/** An article as publish stores it: HTML, excerpt and plain text rendered, with the current version. */
function insertRendered(tags: { slug: string; name: string }[] = []) {
  return insertArticle({ bodyMd: "Ein Absatz.\n\n## Titel\n\nNoch einer.", tags });
}

describe("D1 round trips per uncached page", () => {
  it("one batch for an article page, whatever its comments and tags", async () => {
    const tag = uniqueSlug("tag");
    const { id, slug } = await insertRendered([{ slug: tag, name: tag }]);
    for (let i = 0; i < 5; i++) await insertComment(id, "approved", `Kommentar ${i}`);
    expect(await roundTrips(`/articles/${slug}`)).toEqual({ status: 200, trips: 1 });
  });

  it("one batch for every comment page, whatever its threads and their depth", async () => {
    const { id, slug } = await insertRendered();
    let parent: string | undefined;
    for (let i = 0; i < 6; i++) await insertComment(id, "approved", `Kommentar ${i}`);
    for (let i = 0; i < 3; i++) parent = await insertComment(id, "approved", `Antwort ${i}`, parent);
    const vars = { COMMENTS_PER_PAGE: "2" };
    for (const path of [`/articles/${slug}`, `/articles/${slug}/comment-page-1`, `/articles/${slug}/comment-page-3`]) {
      expect(await roundTrips(path, vars), path).toEqual({ status: 200, trips: 1 });
    }
  });

  it("the submitter's own page: the comment, its parent's place when paged, then the page's batch; a failed link costs nothing", async () => {
    const { id, slug } = await insertRendered();
    const parent = await insertComment(id, "approved", "Frage");
    const reply = await insertComment(id, "pending", "Antwort", parent);
    const link = async (comment: string) => ownCommentPath(slug, comment, await signModerationHash(env.FORM_SECRET, comment, Date.now())).replace(/#.*/, "");
    expect(await roundTrips(await link(reply))).toEqual({ status: 200, trips: 3 });
    expect(await roundTrips(await link(reply), { COMMENTS_PER_PAGE: "0" })).toEqual({ status: 200, trips: 2 });
    expect(await roundTrips(await link(crypto.randomUUID()))).toEqual({ status: 200, trips: 2 });
    expect(await roundTrips(`/articles/${slug}?unapproved=${reply}&moderation-hash=1.${"A".repeat(43)}`)).toEqual({ status: 200, trips: 1 });
  });

  it("one query for the home page and a tag page, however many articles they list", async () => {
    const tag = uniqueSlug("tag");
    for (let i = 0; i < 12; i++) await insertRendered([{ slug: tag, name: tag }]);
    expect(await roundTrips("/")).toEqual({ status: 200, trips: 1 });
    expect(await roundTrips(`/tags/${tag}`)).toEqual({ status: 200, trips: 1 });
    expect(await roundTrips(`/tags/${tag}?page=2`)).toEqual({ status: 200, trips: 1 });
  });

  it("no list query past the deepest list page, whatever the page number", async () => {
    const tag = uniqueSlug("tag");
    await insertRendered([{ slug: tag, name: tag }]);
    // A 404 costs the old-URL lookup (src/routes/redirects.ts); the list (with the navigation) is read only up to page 1000.
    expect(await roundTrips("/?page=1000")).toEqual({ status: 404, trips: 2 });
    // Past it: the 404 page's navigation and the old-URL lookup, but no list query.
    for (const path of ["/?page=1001", `/tags/${tag}?page=1001`, "/?page=999999"]) expect(await roundTrips(path), path).toEqual({ status: 404, trips: 2 });
  });

  it("one query or batch per feed and for the sitemap", async () => {
    const { id, slug } = await insertRendered();
    await insertComment(id, "approved");
    for (const path of ["/feed.xml", "/atom.xml", "/feed.json", "/comments/feed.xml", `/articles/${slug}/comments/feed.json`, "/sitemap.xml"]) {
      expect(await roundTrips(path), path).toEqual({ status: 200, trips: 1 });
    }
  });

  it("search, an archive month and the tag index: their own query (search: and its comments), plus the navigation read; the archive one batch once counted", async () => {
    const tag = uniqueSlug("tag");
    for (let i = 0; i < 3; i++) await insertRendered([{ slug: tag, name: tag }]);
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit" }).format(Date.now() - 3_600_000);
    // These pages read the header and footer links on their own (renderPage), not in a batch with their query.
    for (const path of [`/archive/${month.replace("-", "/")}`, "/tags", "/search?q=absatz&page=2"]) {
      expect(await roundTrips(path), path).toEqual({ status: 200, trips: 2 });
    }
    // The first page of results also searches approved comments: a second statement, sent alongside.
    for (const path of ["/search?q=absatz", "/search?q=ab"]) expect(await roundTrips(path), path).toEqual({ status: 200, trips: 3 });
    // The archive: its kept counts and the navigation in one batch; after a change to the
    // articles it counts for itself (where the months start, then the count) and keeps
    // nothing, until the 10-minute cron has kept the counts; then the reader reads them.
    expect(await roundTrips("/archive")).toEqual({ status: 200, trips: 3 });
    expect(await roundTrips("/archive")).toEqual({ status: 200, trips: 3 });
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: TEN_MINUTE_CRON }), env, createExecutionContext());
    expect(await roundTrips("/archive")).toEqual({ status: 200, trips: 1 });
    expect(await roundTrips("/search")).toEqual({ status: 200, trips: 1 });
  });

  it("one batch for a static page, its navigation included; the navigation rides in every page's batch", async () => {
    const bodyMd = "Angaben gemäß § 5 DDG.";
    const html = renderArticleHtml(bodyMd).html;
    const { slug } = await insertPage({ bodyMd, bodyHtml: html, htmlVersion: htmlVersionFor(await sha256Hex(bodyMd)), role: "imprint", nav: "footer" });
    await insertPage({ nav: "header", navOrder: 1 });
    expect(await roundTrips(`/${slug}`)).toEqual({ status: 200, trips: 1 });
    // An unknown slug: the batch (with the alias lookup), then the redirects table (src/routes/redirects.ts) that every 404 asks.
    expect(await roundTrips(`/${uniqueSlug("fehlt")}`)).toEqual({ status: 404, trips: 2 });
    // Error pages outside a batch read the navigation once, besides the redirects table.
    expect(await roundTrips("/Gross")).toEqual({ status: 404, trips: 2 });
    const { slug: article } = await insertRendered();
    expect(await roundTrips(`/articles/${article}`)).toEqual({ status: 200, trips: 1 });
    expect(await roundTrips("/")).toEqual({ status: 200, trips: 1 });
  });

  it("one batch for a sitemap index and for each of its parts", async () => {
    await insertRendered();
    await insertRendered();
    for (const path of ["/sitemap.xml", "/sitemap-1.xml", "/sitemap-2.xml"]) {
      expect(await roundTrips(path, { SITEMAP_MAX_URLS: "2" }), path).toEqual({ status: 200, trips: 1 });
    }
  });

  it("an article without stored HTML costs one more round trip, to store its rendering, once", async () => {
    const { slug } = await insertArticle({ bodyHtml: null });
    expect(await roundTrips(`/articles/${slug}`)).toEqual({ status: 200, trips: 2 });
    expect(await roundTrips(`/articles/${slug}`)).toEqual({ status: 200, trips: 1 });
  });
});
