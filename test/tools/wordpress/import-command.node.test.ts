// `npm run import:wordpress` end to end: the Theme Unit Test export into a
// temporary content folder and a temporary local D1 (real wrangler), then
// served by the Worker; refusals write nothing; a second import changes nothing.
import { existsSync } from "node:fs";
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getPlatformProxy, unstable_startWorker } from "wrangler";
import { escapeHtml } from "../../../src/lib/html";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import type { CliIo } from "../../../tools/publish/publish-command";
import { deriveCommentId } from "../../../tools/wordpress/comment-rows";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { isPublic, listItems, listOldLinks } from "../helpers/wordpress-links";
import { createWorkspace } from "../helpers/workspace";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SHARED = path.resolve(ROOT, "../shared/wordpress");
const available = existsSync(path.join(SHARED, "theme-unit-test-data.xml"));
const suite = available ? describe : describe.skip;
if (!available) console.warn(`WordPress test exports not found at ${SHARED}: skipping the import end-to-end test`);
const SITE = "https://wpthemetestdata.wordpress.com";
// Worker modules type-check against the Workers types, which this Node-side
// test does not load: the sub-app comes in by a path tsc does not follow.
const REDIRECTS_ROUTE = path.join(ROOT, "src/routes/redirects.ts");

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function runImport(args: string[], answer: boolean | null = null) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => answer };
  const code = await runImportWordPress([...args, "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const tables =
  "SELECT * FROM articles ORDER BY id; SELECT * FROM comments ORDER BY id; SELECT * FROM redirects ORDER BY from_path; SELECT * FROM tags ORDER BY id";
const snapshot = () => queryD1(target, tables);
const listContent = async () => ((await readdir(content, { recursive: true }).catch(() => [])) as string[]).sort();

beforeAll(async () => {
  if (!available) return;
  ({ tmp, content, target } = await createWorkspace("wordpress-import-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

type Served = Awaited<ReturnType<typeof unstable_startWorker>>;

/** Every published WordPress page answers 200 with its title at /<slug>. */
async function expectPagesServed(worker: Served, articles: Record<string, unknown>[]) {
  const xml = await readFile(path.join(SHARED, "theme-unit-test-data.xml"), "utf8");
  const expected = listItems(xml).filter((i) => i.type === "page" && isPublic(i));
  const pages = articles.filter((a) => a.kind === "page" && a.status === "published");
  expect(pages.length).toBe(expected.length);
  expect(pages.length).toBeGreaterThan(10);
  for (const page of pages) {
    const res = await worker.fetch(`http://blog.test/${page.slug}`);
    expect(res.status, String(page.slug)).toBe(200);
    expect(await res.text()).toContain(`<h1>${escapeHtml(String(page.title))}</h1>`);
  }
}

/** Every public link of the old site (read from the export itself) answers 301 to a URL that answers 200. */
async function expectOldLinksRedirected(worker: Served) {
  const links = listOldLinks(await readFile(path.join(SHARED, "theme-unit-test-data.xml"), "utf8"));
  expect(links.filter((l) => l.startsWith("/?page_id=")).length).toBeGreaterThan(10);
  expect(links.filter((l) => l.startsWith("/tag/")).length).toBeGreaterThan(10);
  expect(links.filter((l) => l.startsWith("/category/")).length).toBeGreaterThan(10);
  for (const link of links) {
    const res = await worker.fetch(`http://blog.test${link}`, { redirect: "manual" });
    expect(res.status, link).toBe(301);
    const location = new URL(res.headers.get("Location") ?? "", "http://blog.test");
    expect((await worker.fetch(location.href, { redirect: "manual" })).status, `${link} -> ${location.pathname}`).toBe(200);
  }
}

suite("importing a WordPress export into a local D1", () => {
  it("refuses malformed and non-WordPress exports with a clear message, and writes nothing", async () => {
    const before = await snapshot();
    const cases: [string, RegExp][] = [
      ["malformed.xml", /malformed\.xml: line 90, column \d+: malformed XML: /],
      ["missing-version-tag.xml", /missing-version-tag\.xml: not a WordPress export: no <wp:wxr_version>/],
      ["invalid-version-tag.xml", /invalid-version-tag\.xml: not a WordPress export: unknown <wp:wxr_version> "abc"/],
    ];
    for (const [file, message] of cases) {
      const result = await runImport([path.join(SHARED, file), "--yes"]);
      expect(result.code, file).toBe(1);
      expect(result.err).toMatch(message);
      expect(result.err).toContain("Nothing was written.");
    }
    expect(await listContent()).toEqual([]);
    expect(await snapshot()).toEqual(before);
  });

  it("plans without writing on --dry-run", async () => {
    const result = await runImport([path.join(SHARED, "theme-unit-test-data.xml"), "--dry-run"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 58 (58 new, 0 replacing a file, 0 unchanged; 2 drafts, 1 scheduled)");
    expect(result.out).toContain("Pages: 21 (21 new");
    expect(result.out).toContain("Comments: 26 approved, 3 pending, 0 spam, 0 trash.");
    expect(result.out).toContain("4 pingbacks and trackbacks skipped");
    expect(result.out).toMatch(/post 1168 "Template: Password Protected .*": password-protected in WordPress: imported as a draft/);
    expect(result.out).toMatch(/post 555 "Post Format: Gallery": shortcodes kept as text: \[gallery\]/);
    expect(result.out).toContain("Dry run: nothing was written.");
    expect(await listContent()).toEqual([]);
    expect((await snapshot())[0]).toEqual([]);
  });

  it("imports posts, pages, comments and redirects, and the Worker serves every published post", async () => {
    const result = await runImport([path.join(SHARED, "theme-unit-test-data.xml")]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Published: 79 new");
    const [articles = [], comments = [], redirectRows = []] = (await snapshot()) as Record<string, unknown>[][];
    expect(articles).toHaveLength(79);
    expect(comments.filter((c) => c.status === "approved")).toHaveLength(26);
    expect(comments.filter((c) => c.status === "pending")).toHaveLength(3);
    const idOf = new Map(articles.map((a) => [a.slug, a.id]));
    const threaded = comments.find((c) => c.id === deriveCommentId(SITE, "905"));
    expect(threaded?.article_id).toBe(idOf.get("template-comments"));
    expect(threaded?.parent_id).toBe(deriveCommentId(SITE, "904"));
    expect(comments.filter((c) => c.parent_id !== null)).toHaveLength(10);
    const redirect = (from: string) => redirectRows.find((r) => r.from_path === from)?.to_path;
    expect(redirect("/?p=1177")).toBe("/articles/markup-image-alignment");
    expect(redirect("/2013/01/10/markup-image-alignment")).toBe("/articles/markup-image-alignment");
    expect(redirect("/?p=1164")).toBeUndefined(); // a draft has no public home

    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      const published = articles.filter(
        (a) => a.status === "published" && (a.published_at as number) <= Date.now() && !String(a.source_path).startsWith("pages/"),
      );
      expect(published.length).toBe(55);
      for (const article of published) {
        const page = await worker.fetch(`http://blog.test/articles/${article.slug}`);
        const html = await page.text();
        expect(page.status, String(article.slug)).toBe(200);
        expect(html).toContain(escapeHtml(String(article.title)));
      }
      const comments = await (await worker.fetch("http://blog.test/articles/template-comments")).text();
      expect(comments).toContain("Comment Depth 10");
      // Scheduled posts answer on their date.
      const scheduled = articles.filter((a) => (a.published_at as number) > Date.now()).map((a) => `/articles/${a.slug}`);
      expect(scheduled).toEqual(["/articles/scheduled"]);
      const targets = new Set(redirectRows.map((r) => String(r.to_path)).filter((to) => !scheduled.some((s) => to.startsWith(s))));
      expect(targets.size).toBeGreaterThan(100);
      for (const to of targets) expect((await worker.fetch(`http://blog.test${to}`)).status, to).toBe(200);
      await expectPagesServed(worker, articles);
      await expectOldLinksRedirected(worker);
    } finally {
      await worker.dispose();
    }
  });

  it("shows no pending comment", async () => {
    const [pending = []] = (await queryD1(
      target,
      "SELECT c.body_raw, a.slug FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.status = 'pending'",
    )) as {
      body_raw: string;
      slug: string;
    }[][];
    expect(pending).toHaveLength(3);
    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      for (const c of pending) {
        const html = await (await worker.fetch(`http://blog.test/articles/${c.slug}`)).text();
        expect(html).not.toContain(c.body_raw.trim().split("\n")[0]);
      }
    } finally {
      await worker.dispose();
    }
  });

  it("answers old URLs with 301 through the redirects sub-app", async () => {
    const redirects = ((await import(REDIRECTS_ROUTE)) as { default: Hono }).default;
    const proxy = await getPlatformProxy<Record<string, unknown>>({
      configPath: path.join(ROOT, "wrangler.toml"),
      persist: { path: path.join(target.persistTo ?? "", "v3") },
    });
    try {
      const app = new Hono();
      app.route("/", redirects);
      app.get("/", (c) => c.text("home"));
      const get = (url: string, method = "GET") => app.request(url, { method }, proxy.env);
      const byQuery = await get("http://blog.test/?utm_source=x&p=1177");
      expect([byQuery.status, byQuery.headers.get("Location")]).toEqual([301, "/articles/markup-image-alignment"]);
      const byPath = await get("http://blog.test/2013/01/10/markup-image-alignment/", "HEAD");
      expect([byPath.status, byPath.headers.get("Location")]).toEqual([301, "/articles/markup-image-alignment"]);
      const category = await get("http://blog.test/category/aciform/sub/");
      expect([category.status, category.headers.get("Location")]).toEqual([301, "/tags/sub"]);
      expect((await get("http://blog.test/")).status).toBe(200);
      expect((await get("http://blog.test/nothing-here")).status).toBe(404);
      expect((await get("http://blog.test/?p=1177", "POST")).status).toBe(404);
      expect((await get("http://blog.test/?p=__proto__")).status).toBe(200);
    } finally {
      await proxy.dispose();
    }
  });

  it("changes nothing when run again", async () => {
    const before = await snapshot();
    const files = await listContent();
    const texts = await Promise.all(files.map((f) => readFile(path.join(content, f), "utf8").catch(() => "")));
    const result = await runImport([path.join(SHARED, "theme-unit-test-data.xml")]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 58 (0 new, 0 replacing a file, 58 unchanged");
    expect(result.out).toContain("Nothing to publish");
    expect(await snapshot()).toEqual(before);
    expect(await listContent()).toEqual(files);
    expect(await Promise.all(files.map((f) => readFile(path.join(content, f), "utf8").catch(() => "")))).toEqual(texts);
  });

  it("replaces an editor's file with the same slug only after confirmation", async () => {
    const file = path.join(content, "markup-image-alignment.md");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("Welcome to image alignment!", "Edited by hand."));
    const before = await snapshot();
    const refused = await runImport([path.join(SHARED, "theme-unit-test-data.xml")], null);
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(
      / {2}replace {3}markup-image-alignment\.md {2}post 1177 "Markup: Image Alignment" replaces the existing "Markup: Image Alignment"/,
    );
    expect(refused.err).toContain(
      "Not replacing 1 existing file in the content folder without confirmation, and there is no terminal to ask: run again with --yes.",
    );
    expect(await readFile(file, "utf8")).toContain("Edited by hand.");
    expect(await snapshot()).toEqual(before);
    const declined = await runImport([path.join(SHARED, "theme-unit-test-data.xml")], false);
    expect(declined.code).toBe(1);
    expect(await readFile(file, "utf8")).toContain("Edited by hand.");
    const replaced = await runImport([path.join(SHARED, "theme-unit-test-data.xml"), "--yes"]);
    expect(replaced.code, replaced.err).toBe(0);
    expect(await readFile(file, "utf8")).toBe(original);
  });
});
