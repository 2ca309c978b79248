import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { EDGE_MAX_AGE_SECONDS } from "../../src/cache";
import { createFormToken } from "../../src/comments/form-token";
import { ownCommentPath, signModerationHash } from "../../src/comments/own-comment";
import { encodeRememberCookie } from "../../src/comments/remember";
import worker from "../../src/index";
import { ADMIN_TOKEN, getCsrf, login } from "../helpers/admin";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { recordingContext } from "../helpers/edge-cache";
import { get, ORIGIN } from "../helpers/http";
import { postForm, validFields } from "../helpers/post-comment";

function edgeMaxAge(res: Response): number | null {
  const header = res.headers.get("cloudflare-cdn-cache-control");
  const match = /max-age=(\d+)/.exec(header ?? "");
  return match ? Number(match[1]) : null;
}

function tagsOf(res: Response): string[] {
  return (res.headers.get("cache-tag") ?? "").split(",").filter(Boolean);
}

function expectNeverShared(res: Response, label: string): void {
  expect(res.headers.get("cache-control"), label).toBe("private, no-store");
  expect(res.headers.get("cloudflare-cdn-cache-control"), label).toBeNull();
  expect(res.headers.get("cache-tag"), label).toBeNull();
}

async function fetchWith(ctx: ExecutionContext, path: string, init: RequestInit = {}): Promise<Response> {
  return worker.fetch(new Request(`${ORIGIN}${path}`, init), env, ctx);
}

describe("what the edge may keep", () => {
  it("tags the home page with every article it shows; browsers still revalidate", async () => {
    const { id, slug } = await insertArticle({ publishedAt: Date.now() - 1 });
    const res = await get("/");
    expect(res.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    expect(edgeMaxAge(res)).toBeGreaterThan(0);
    expect(edgeMaxAge(res)).toBeLessThanOrEqual(EDGE_MAX_AGE_SECONDS);
    expect(tagsOf(res)).toEqual(expect.arrayContaining(["list", `a:${slug}`, `c:${id}`]));
  });

  it("keeps list pages and feeds no longer than until the next scheduled article", async () => {
    const tag = uniqueSlug("tag");
    await insertArticle({ publishedAt: Date.now() - 1000, tags: [{ slug: tag, name: tag }] });
    await insertArticle({ publishedAt: Date.now() + 90_000, tags: [{ slug: tag, name: tag }] });
    for (const path of ["/", `/tags/${tag}`, "/feed.xml", `/tags/${tag}/atom.xml`, "/sitemap.xml"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(edgeMaxAge(res), path).toBeLessThanOrEqual(90);
      expect(edgeMaxAge(res), path).toBeGreaterThan(0);
      expect(res.headers.get("cloudflare-cdn-cache-control"), path).not.toContain("stale-while-revalidate");
    }
  });

  it("tags an article page with its content, its comments and its translations", async () => {
    const key = uniqueSlug("tr");
    const de = await insertArticle({ lang: "de", translationKey: key });
    const en = await insertArticle({ lang: "en", translationKey: key });
    const res = await get(`/articles/${de.slug}`);
    expect(tagsOf(res)).toEqual(expect.arrayContaining([`a:${de.slug}`, `c:${de.id}`, `a:${en.slug}`, `tr:${key}`]));
  });

  it("tags feeds, tag pages, comment feeds and 404s by what they show", async () => {
    const tag = uniqueSlug("tag");
    const { id, slug } = await insertArticle({ tags: [{ slug: tag, name: tag }] });
    expect(tagsOf(await get(`/tags/${tag}`))).toEqual(expect.arrayContaining([`t:${tag}`, `a:${slug}`, `c:${id}`]));
    expect(tagsOf(await get(`/tags/${tag}/feed.json`))).toEqual(expect.arrayContaining([`t:${tag}`, `a:${slug}`]));
    expect(tagsOf(await get("/feed.xml"))).toContain("feed");
    expect(tagsOf(await get("/comments/feed.xml"))).toEqual(["comments"]);
    expect(tagsOf(await get(`/articles/${slug}/comments/atom.xml`))).toEqual([`c:${id}`]);
    expect(tagsOf(await get("/sitemap.xml"))).toEqual(["sitemap"]);
    const missing = await get("/articles/kommt-noch");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBe("public, max-age=60");
    // The 404 shows the navigation too: publishing a page purges it.
    expect(tagsOf(missing)).toEqual(["a:kommt-noch", "nav"]);
  });

  it("never lets the edge keep a page made for one person, nor an admin page", async () => {
    const { id, slug } = await insertArticle();
    const own = crypto.randomUUID();
    const link = ownCommentPath(slug, own, await signModerationHash(env.FORM_SECRET, own, Date.now())).replace(/#.*/, "");
    expectNeverShared(await get(link), "the submitter's own comment");
    // Saved details are filled in by the browser: the page stays shared.
    const cookie = `comment_author=${encodeRememberCookie({ author: "Erika Gespeichert", email: "erika@example.com", url: "" })}`;
    const withCookie = await get(`/articles/${slug}`, { headers: { Cookie: cookie } });
    expect(edgeMaxAge(withCookie)).toBeGreaterThan(0);
    expect(await withCookie.text()).not.toContain("Erika Gespeichert");
    const invalid = await postForm(slug, { token: await createFormToken(env.FORM_SECRET, id, Date.now() - 60_000), author: "" });
    expect(invalid.status).toBe(422);
    expectNeverShared(invalid, "form with errors");
    const accepted = await postForm(slug, validFields({ token: await createFormToken(env.FORM_SECRET, id, Date.now() - 60_000) }));
    expect(accepted.status).toBe(303);
    expect(accepted.headers.get("set-cookie")).not.toBeNull();
    expect(accepted.headers.get("cache-control")).toBe("private, no-store");
    expect(accepted.headers.get("cloudflare-cdn-cache-control")).toBeNull();
    const admin = await get("/admin", { headers: { Cookie: await login() } });
    expectNeverShared(admin, "admin page");
    // The shared page stays cacheable for everyone else.
    expect(edgeMaxAge(await get(`/articles/${slug}`))).toBeGreaterThan(0);
  });
});

describe("purging exactly what changed", () => {
  it("approving a comment purges its article's comment pages, twice (read replicas may lag)", async () => {
    const { id } = await insertArticle();
    const comment = await insertComment(id, "pending");
    const { ctx, purges, settle } = recordingContext();
    const res = await fetchWith(ctx, `/admin/api/comments/${comment}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ status: "approved" }),
    });
    expect(res.status).toBe(200);
    expect(purges).toEqual([[`c:${id}`, "comments"]]);
    await settle();
    expect(purges).toEqual([
      [`c:${id}`, "comments"],
      [`c:${id}`, "comments"],
    ]);
  }, 15_000);

  it("a bulk action in the admin purges each touched article once", async () => {
    const a = await insertArticle();
    const b = await insertArticle();
    const ids = [await insertComment(a.id, "pending"), await insertComment(a.id, "pending"), await insertComment(b.id, "pending")];
    const cookie = await login();
    const csrf = await getCsrf(cookie);
    const { ctx, purges } = recordingContext();
    const body = new URLSearchParams([["csrf", csrf], ["action", "spam"], ...ids.map((i) => ["id", i] as [string, string])]);
    const res = await fetchWith(ctx, "/admin/comments/bulk", {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body,
    });
    expect(res.status).toBe(303);
    expect(purges[0]?.sort()).toEqual([`c:${a.id}`, `c:${b.id}`, "comments"].sort());
  });

  it("the purge endpoint takes only this site's tags, with the admin token", async () => {
    const { ctx, purges } = recordingContext();
    const call = (body: unknown, token = ADMIN_TOKEN) =>
      fetchWith(ctx, "/admin/api/cache/purge", {
        method: "POST",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
    expect((await call({ tags: ["list"] }, "falsch-0123456789abcdef")).status).toBe(401);
    expect((await call({ tags: ["everything"] })).status).toBe(422);
    expect((await call({ tags: [] })).status).toBe(422);
    expect((await call({ tags: "list" })).status).toBe(422);
    expect(purges).toEqual([]);
    const ok = await call({ tags: ["list", "a:internet-und-kmu", "t:kmu", "sitemap"] });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ purged: true, tags: ["list", "a:internet-und-kmu", "t:kmu", "sitemap"], everything: false, failedCalls: 0 });
    expect(purges[0]).toEqual(["list", "a:internet-und-kmu", "t:kmu", "sitemap"]);
  });

  it("says so when the Worker runs without Workers Cache", async () => {
    const res = await get("/admin/api/cache/purge", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body: JSON.stringify({ tags: ["list"] }),
    });
    expect(await res.json()).toEqual({ purged: false, tags: ["list"], everything: false, failedCalls: 0 });
  });
});

describe("reading one's own writes with D1 sessions", () => {
  it("hands a bookmark to whoever wrote, and a reader's page accepts it (or ignores a bad one)", async () => {
    const { id, slug } = await insertArticle();
    const comment = await insertComment(id, "pending");
    const cookie = await login();
    const csrf = await getCsrf(cookie);
    const res = await get(`/admin/comments/${comment}/approve`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: `csrf=${encodeURIComponent(csrf)}`,
    });
    expect(res.status).toBe(303);
    const bookmark = res.headers.getSetCookie().find((c) => c.startsWith("d1_bookmark="));
    expect(bookmark).toMatch(/^d1_bookmark=[\w-]+; Max-Age=60; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    const page = await get(`/articles/${slug}`, { headers: { Cookie: bookmark?.split(";")[0] ?? "" } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Ein Kommentar.");
    expect((await get(`/articles/${slug}`, { headers: { Cookie: "d1_bookmark=../../etc" } })).status).toBe(200);
  });
});
