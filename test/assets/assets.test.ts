// The stylesheet and the comment form's script are files (src/assets/),
// served under names that carry a hash of their bytes.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getAssetPath } from "../../src/assets";
import commentFormScript from "../../src/assets/comment-form.js";
import stylesheet from "../../src/assets/site.css";
import worker from "../../src/index";
import { fnv1a } from "../../src/lib/fnv";
import { insertArticle } from "../helpers/articles";
import { get, ORIGIN } from "../helpers/http";

async function linkedAssets(path: string): Promise<{ css: string; js: string; html: string }> {
  const html = await (await get(path)).text();
  const css = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? "";
  const js = /<script src="([^"]+)"/.exec(html)?.[1] ?? "";
  return { css, js, html };
}

describe("assets", () => {
  it("links each file under a name made from its bytes, cached for a year", async () => {
    const { slug } = await insertArticle({ comments: "open" });
    const { css, js } = await linkedAssets(`/articles/${slug}`);
    expect(css).toBe(`/assets/site.${fnv1a(stylesheet)}.css`);
    expect(js).toBe(`/assets/comment-form.${fnv1a(commentFormScript)}.js`);
    for (const [href, type, body] of [
      [css, "text/css; charset=utf-8", stylesheet],
      [js, "text/javascript; charset=utf-8", commentFormScript],
    ] as const) {
      const res = await get(href);
      expect(res.status, href).toBe(200);
      expect(res.headers.get("content-type")).toBe(type);
      expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(await res.text()).toBe(body);
    }
  });

  it("serves the files' text, not a module: the script fills the form from the cookie", () => {
    expect(stylesheet).toContain(":root");
    expect(commentFormScript).toContain("comment_author");
    expect(commentFormScript).not.toMatch(/^\s*(import|export)\b/m);
  });

  it("still answers the old unhashed names, revalidated each time", async () => {
    for (const path of ["/assets/style.css", "/assets/comment-form.js"]) {
      const res = await get(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe("public, max-age=0, must-revalidate");
    }
  });

  it("answers 404 for any other name, prototype names and old hashes included", async () => {
    for (const name of ["site.0.css", "site.css", "constructor", "__proto__", "toString", "hasOwnProperty", "comment-form.js.map"]) {
      const res = await get(`/assets/${name}`);
      expect(res.status, name).toBe(404);
      expect(res.headers.get("cache-control"), name).not.toContain("immutable");
    }
  });

  it("puts no inline script or style in a page (the CSP allows only our own files)", async () => {
    const { slug } = await insertArticle({ comments: "open" });
    const { html } = await linkedAssets(`/articles/${slug}`);
    expect(html).not.toMatch(/<style\b/);
    expect(html).not.toMatch(/\sstyle=/);
    for (const [tag] of html.matchAll(/<script\b[^>]*>/g)) expect(tag).toMatch(/\ssrc="\/assets\/|type="application\/ld\+json"/);
  });

  it("leaves a table column's alignment to the Markdown and lets wide article tables scroll in their box", async () => {
    const html = await (await get("/")).text();
    const href = /<link rel="stylesheet" href="([^"]+)"/.exec(html)?.[1] ?? "";
    const css = (await (await get(href)).text()).replace(/\/\*[\s\S]*?\*\//g, "");
    const rules = [...css.matchAll(/([^{}]+)\{([^}]*)\}/g)].map(([, selector = "", body = ""]) => ({ selector: selector.trim(), body }));
    // Only headers without their own align get a text-align (a CSS rule would beat the align attribute).
    for (const rule of rules.filter((r) => /(^|[\s,])t[hd]\b/.test(r.selector) && r.body.includes("text-align"))) {
      expect(rule.selector).toBe("th:not([align])");
    }
    const articleTable = rules.find((r) => r.selector === ".article-body table");
    expect(articleTable?.body).toMatch(/display:\s*block/);
    expect(articleTable?.body).toMatch(/overflow-x:\s*auto/);
  });
});

describe("the dev reload script", () => {
  const paths = () => [getAssetPath("devReload"), "/assets/dev-reload.js"];

  it("is not served outside npm run dev (DEV_RELOAD_URL empty)", async () => {
    for (const path of paths()) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).not.toContain("EventSource");
    }
  });

  it("is served while DEV_RELOAD_URL is set", async () => {
    const devEnv = { ...env, DEV_RELOAD_URL: "http://localhost:8799/events" };
    for (const path of paths()) {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`${ORIGIN}${path}`), devEnv, ctx);
      await waitOnExecutionContext(ctx);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain("EventSource");
    }
  });
});
