import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { api, login } from "./helpers/admin";
import { insertArticle } from "./helpers/articles";
import { insertComment } from "./helpers/comments";
import { get, ORIGIN } from "./helpers/http";

const SECURITY_HEADERS = ["content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options"];

function expectSecurityHeaders(res: Response): void {
  for (const name of SECURITY_HEADERS) expect(res.headers.get(name), name).toBeTruthy();
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
  expect(csp).toContain("default-src 'none'");
  expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  expect(res.headers.get("cache-control")).toBeTruthy();
}

describe("headers on every response", () => {
  it("sets security headers and Cache-Control on pages, errors and the stylesheet", async () => {
    const { slug } = await insertArticle();
    const cases = [
      ["/", 200],
      [`/articles/${slug}`, 200],
      ["/articles/fehlt", 404],
      ["/gibt/es/nicht", 404],
      ["/?page=x", 400],
      ["/assets/style.css", 200],
    ] as const;
    for (const [path, status] of cases) {
      const res = await get(path);
      expect(res.status, path).toBe(status);
      expectSecurityHeaders(res);
    }
    const post = await get("/", { method: "POST" });
    expect(post.status).toBe(405);
    expectSecurityHeaders(post);
  });

  it("makes browsers revalidate pages and cache the versioned stylesheet for a year", async () => {
    expect((await get("/")).headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const html = await (await get("/")).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? "";
    expect(href).toMatch(/^\/assets\/site\.\w+\.css$/);
    const css = await get(href);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await css.text()).toContain("prefers-color-scheme: dark");
    expect((await get("/?page=x")).headers.get("cache-control")).toBe("private, no-store");
  });
});

describe("HSTS", () => {
  it("sends Strict-Transport-Security on every https response, never on http://localhost", async () => {
    const { slug } = await insertArticle();
    for (const path of ["/", `/articles/${slug}`, "/nirgends", "/feed.xml", "/admin", "/admin/api/comments", "/assets/style.css"]) {
      const res = await get(path);
      expect(res.headers.get("strict-transport-security"), path).toMatch(/^max-age=\d{8,}; includeSubDomains$/);
    }
    expect((await get("/", { method: "DELETE" })).headers.get("strict-transport-security")).toBeTruthy();
    const local = await SELF.fetch("http://localhost:8787/", { redirect: "manual" });
    expect(local.status).toBe(200);
    expect(local.headers.get("strict-transport-security")).toBeNull();
  });
});

describe("ETag and conditional requests", () => {
  it("answers 304 with no body when If-None-Match matches", async () => {
    const { slug } = await insertArticle();
    const first = await get(`/articles/${slug}`);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^(W\/)?"[^"]+"$/);
    const second = await get(`/articles/${slug}`, { headers: { "If-None-Match": etag ?? "" } });
    expect(second.status).toBe(304);
    expect(await second.text()).toBe("");
    expect(second.headers.get("etag")).toBe(etag);
    expect(second.headers.get("cache-control")).toBeTruthy();
    const stale = await get(`/articles/${slug}`, { headers: { "If-None-Match": '"anders"' } });
    expect(stale.status).toBe(200);
  });
});

describe("methods", () => {
  it("answers HEAD like GET without a body", async () => {
    const { slug } = await insertArticle();
    const getRes = await get(`/articles/${slug}`);
    const head = await get(`/articles/${slug}`, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe("");
    expect(head.headers.get("content-type")).toBe(getRes.headers.get("content-type"));
    expect(head.headers.get("etag")).toBe(getRes.headers.get("etag"));
    expect((await get("/articles/fehlt", { method: "HEAD" })).status).toBe(404);
  });

  it("answers other methods on reader paths with 405 and Allow", async () => {
    const { slug } = await insertArticle();
    for (const [method, path] of [
      ["POST", "/"],
      ["PUT", `/articles/${slug}`],
      ["DELETE", "/tags/x"],
      ["PATCH", "/assets/style.css"],
    ]) {
      const res = await get(path ?? "/", { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow")).toBe("GET, HEAD");
      expect(await res.text()).toContain("Methode nicht erlaubt");
    }
  });
});

describe("localized error pages", () => {
  it("uses the browser's language on 404, German by default", async () => {
    const de = await get("/nirgends");
    expect(de.status).toBe(404);
    const deHtml = await de.text();
    expect(deHtml).toContain('<html lang="de">');
    expect(deHtml).toContain("Seite nicht gefunden");
    const en = await get("/nirgends", { headers: { "Accept-Language": "en-US,en;q=0.9,de;q=0.5" } });
    const enHtml = await en.text();
    expect(enHtml).toContain('<html lang="en">');
    expect(enHtml).toContain("Page not found");
    expect(en.headers.get("vary")).toContain("Accept-Language");
    expect(en.headers.get("content-type")).toBe("text/html; charset=UTF-8");
  });
});

describe("repeated query parameters", () => {
  it("get a 400 naming the parameter on lists and the archive; unread ones are ignored", async () => {
    await insertArticle({ publishedAt: Date.UTC(2024, 0, 15) });
    for (const path of ["/?page=1&page=2", "/archive/2024/01?page=1&page=1", "/tags/irgendwas?page=2&page=1"]) {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
      expect(await res.text(), path).toContain("Der Parameter „page“ darf nur einmal in der Adresse stehen.");
    }
    expect((await get("/?page=1&utm_source=a&utm_source=b")).status).toBe(200);
  });

  it("get a 422 naming the parameter in the admin API, and a 400 for ?return= on admin forms", async () => {
    const res = await api("/comments?status=approved&status=spam");
    expect(res.status).toBe(422);
    expect(await res.json()).toMatchObject({ fields: { status: "was given more than once" } });
    const { id } = await insertArticle();
    const comment = await insertComment(id, "pending");
    const cookie = await login();
    const html = await (await get("/admin", { headers: { Cookie: cookie } })).text();
    const csrf = /name="csrf" value="([^"]+)"/.exec(html)?.[1] ?? "";
    const post = await get(`/admin/comments/${comment}/approve?return=/admin&return=//evil.example`, {
      method: "POST",
      headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ csrf }),
    });
    expect(post.status).toBe(400);
    expect(await post.text()).toContain("return");
  });
});
