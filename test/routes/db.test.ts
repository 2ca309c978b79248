import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { ADMIN_TOKEN, freshClientIp, login } from "../helpers/admin";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { type Execution, type WatchedD1, watchD1 } from "../helpers/d1-watch";
import { ORIGIN } from "../helpers/http";
import { oldToken, uniqueIp, validFields } from "../helpers/post-comment";

/** One request to the Worker with the watched binding as env.DB, read whole; deferred work included. */
async function fetchWatched(watched: WatchedD1, path: string, init: RequestInit = {}): Promise<{ res: Response; text: string }> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), { ...env, DB: watched.db }, ctx);
  const text = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, text };
}

function formPost(fields: Record<string, unknown>, headers: Record<string, string> = {}): RequestInit {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": uniqueIp(), ...headers }, body };
}

const onBinding = (e: Execution) => e.on === "binding";

function bookmarkCookie(res: Response): string | undefined {
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith("d1_bookmark=")) ?? "";
  return /^d1_bookmark=([^;]+)/.exec(cookie)?.[1];
}

async function fetchText(path: string, cookie: string): Promise<string> {
  return (await fetchWatched(watchD1(env.DB), path, { headers: { Cookie: cookie } })).text;
}

describe("one D1 session per request", () => {
  it("a reader page opens one session at any replica, and reads everything through it", async () => {
    const tag = uniqueSlug("tag");
    await insertArticle({ tags: [{ slug: tag, name: tag }] });
    // The tag index reads its counts and, for the page around them, the navigation.
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, "/tags");
    expect(res.status).toBe(200);
    expect(watched.sessions).toEqual(["first-unconstrained"]);
    expect(watched.executions.length).toBeGreaterThanOrEqual(2);
    expect(watched.executions.filter(onBinding)).toEqual([]);
  });

  it("a reader's bookmark anchors the one session", async () => {
    const { id, slug } = await insertArticle();
    await insertComment(id, "approved");
    const watched = watchD1(env.DB);
    const bookmark = env.DB.withSession("first-primary");
    await bookmark.prepare("SELECT 1").run();
    const value = bookmark.getBookmark() ?? "";
    expect(value).toMatch(/^[\w-]+$/);
    const { res } = await fetchWatched(watched, `/articles/${slug}`, { headers: { Cookie: `d1_bookmark=${value}` } });
    expect(res.status).toBe(200);
    expect(watched.sessions).toEqual([value]);
  });

  it("a comment turned away shows the form again from the same first-primary session", async () => {
    const { id, slug } = await insertArticle();
    const fields = validFields({ token: await oldToken(id) });
    expect((await fetchWatched(watchD1(env.DB), `/articles/${slug}/comments`, formPost(fields))).res.status).toBe(303);
    // The same text again: a duplicate, answered with the article page and the form.
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, `/articles/${slug}/comments`, formPost(fields));
    expect(res.status).toBe(409);
    expect(watched.sessions).toEqual(["first-primary"]);
    // The checks, then the article page: both on it.
    expect(watched.executions.length).toBeGreaterThanOrEqual(2);
    expect(watched.executions.filter(onBinding)).toEqual([]);
  });

  it("hands the commenter the bookmark of the session that wrote", async () => {
    const { id, slug } = await insertArticle();
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, `/articles/${slug}/comments`, formPost(validFields({ token: await oldToken(id) })));
    expect(res.status).toBe(303);
    expect(watched.sessions).toEqual(["first-primary"]);
    expect(bookmarkCookie(res)).toBe(watched.opened[0]?.getBookmark());
  });

  it("an editor's reply, its approval and its mail go through one session, whose bookmark the editor gets", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "pending", "Eine Frage?");
    const cookie = await login();
    const csrf = /name="csrf" value="([^"]+)"/.exec(await fetchText(`/admin/comments/${parent}`, cookie))?.[1] ?? "";
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, `/admin/comments/${parent}/reply`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie },
      body: new URLSearchParams({ csrf, comment: "Danke für die Frage!" }),
    });
    expect(res.status).toBe(303);
    expect(watched.sessions).toEqual(["first-primary"]);
    expect(watched.executions.filter(onBinding)).toEqual([]);
    expect(bookmarkCookie(res)).toBe(watched.opened[0]?.getBookmark());
  });

  it("the admin API checks the token and answers from one first-primary session, nothing beside it", async () => {
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, "/admin/api/comments?status=pending", {
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "CF-Connecting-IP": freshClientIp() },
    });
    expect(res.status).toBe(200);
    expect(watched.sessions).toEqual(["first-primary"]);
    expect(watched.executions.filter(onBinding)).toEqual([]);
  });

  it("the moderation desk checks the session and reads its numbers from one first-primary session", async () => {
    const cookie = await login();
    const watched = watchD1(env.DB);
    const { res } = await fetchWatched(watched, "/admin", { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(watched.sessions).toEqual(["first-primary"]);
    expect(watched.executions.filter(onBinding)).toEqual([]);
  });
});
