// `npm run import:wordpress` end to end on an outside corpus, WordPress's own
// Theme Unit Test export (../shared/wordpress/, read in place, never copied),
// in addition to the project's fixtures (import-command.node.test.ts). A clone
// without ../shared prints which corpus did not run and skips these.
import { existsSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/lib/html";
import { queryD1 } from "../../../tools/lib/wrangler";
import { deriveCommentId } from "../../../tools/wordpress/comment-rows";
import { type BlogWorker, expectOldLinksRedirected, listContent, ROOT, runImport, snapshotD1, startBlogWorker } from "../helpers/import-run";
import { isPublic, listItems } from "../helpers/wordpress-links";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const SHARED = path.resolve(ROOT, "../shared/wordpress");
const THEME_UNIT_TEST = path.join(SHARED, "theme-unit-test-data.xml");
const available = existsSync(THEME_UNIT_TEST);
if (!available) console.warn(`Outside corpus not run: ${THEME_UNIT_TEST} is absent; the importer ran on test/fixtures/wordpress/ only.`);
const SITE = "https://wpthemetestdata.wordpress.com";

let ws: Workspace | null = null;
const workspace = (): Workspace => {
  if (!ws) throw new Error("no workspace");
  return ws;
};

beforeAll(async () => {
  if (available) ws = await createWorkspace("wordpress-corpus-");
});

afterAll(async () => {
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

/** Every published WordPress page answers 200 with its title at /<slug>. */
async function expectPagesServed(worker: BlogWorker, articles: Record<string, unknown>[]) {
  const xml = await readFile(THEME_UNIT_TEST, "utf8");
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

describe.skipIf(!available)("importing WordPress's Theme Unit Test export (../shared/wordpress) into a local D1", () => {
  it("refuses WordPress's malformed and non-WordPress test exports with a clear message, and writes nothing", async () => {
    const before = await snapshotD1(workspace());
    const cases: [string, RegExp][] = [
      ["malformed.xml", /malformed\.xml: line 90, column \d+: malformed XML: /],
      ["missing-version-tag.xml", /missing-version-tag\.xml: not a WordPress export: no <wp:wxr_version>/],
      ["invalid-version-tag.xml", /invalid-version-tag\.xml: not a WordPress export: unknown <wp:wxr_version> "abc"/],
    ];
    for (const [file, message] of cases) {
      const result = await runImport(workspace(), [path.join(SHARED, file), "--yes"]);
      expect(result.code, file).toBe(1);
      expect(result.err).toMatch(message);
      expect(result.err).toContain("Nothing was written.");
    }
    expect(await listContent(workspace())).toEqual([]);
    expect(await snapshotD1(workspace())).toEqual(before);
  });

  it("plans without writing on --dry-run", async () => {
    const result = await runImport(workspace(), [THEME_UNIT_TEST, "--dry-run"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 58 (58 new, 0 replacing a file, 0 unchanged; 2 drafts, 1 scheduled)");
    expect(result.out).toContain("Pages: 21 (21 new");
    expect(result.out).toContain("Comments: 26 approved, 3 pending, 0 spam, 0 trash.");
    expect(result.out).toContain("4 pingbacks and trackbacks skipped");
    expect(result.out).toMatch(/post 1168 "Template: Password Protected .*": password-protected in WordPress: imported as a draft/);
    // [gallery] shows the post's 23 attachments, which the export lists after it: no shortcode is left.
    expect(result.out).not.toMatch(/post 555 "Post Format: Gallery": shortcodes kept as text/);
    expect(result.out).toContain("Dry run: nothing was written.");
    expect(await listContent(workspace())).toEqual([]);
    expect((await snapshotD1(workspace()))[0]).toEqual([]);
  });

  it("imports posts, pages, comments and redirects", async () => {
    const result = await runImport(workspace(), [THEME_UNIT_TEST]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Published: 79 new");
    // The gallery post's ten [gallery] shortcodes each show its 23 attachments, one image per line.
    const gallery = await readFile(path.join(workspace().content, "post-format-gallery.md"), "utf8");
    expect(gallery.match(/^!\[[^\n]*\]\([^\n]+\)$/gm)).toHaveLength(230);
    const [articles = [], comments = [], redirectRows = []] = await snapshotD1(workspace());
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
    expect(redirect("/category/aciform/sub")).toBe("/tags/sub");
  });

  it("pins the sticky post, takes the featured images and points the links between its posts at their new paths", async () => {
    const [articles = []] = await snapshotD1(workspace());
    expect(articles.filter((a) => a.pinned === 1).map((a) => a.slug)).toEqual(["template-sticky"]);
    const withImage = articles.filter((a) => a.image !== null);
    expect(withImage).toHaveLength(6);
    // No --media: the originals' https URLs, never a size variant.
    for (const a of withImage) expect(String(a.image)).toMatch(/^https:\/\/wpthemetestdata\.files\.wordpress\.com\/[^?]+(?<!-\d+x\d+\.\w+)$/);
    const files = (await listContent(workspace())).filter((f) => f.endsWith(".md"));
    const oldLinks: string[] = [];
    for (const file of files) {
      const text = await readFile(path.join(workspace().content, file), "utf8");
      for (const m of text.matchAll(/\]\((https?:\/\/(?:www\.)?wpthemetestdata\.wordpress\.com[^)\s]*)/g)) oldLinks.push(m[1] ?? "");
    }
    // The one link left goes to a post the export does not hold.
    expect(oldLinks).toEqual(["https://wpthemetestdata.wordpress.com/2018/11/03/block-button/"]);
    const drafts = await Promise.all(
      articles.filter((a) => a.status === "draft").map((a) => readFile(path.join(workspace().content, String(a.source_path)), "utf8")),
    );
    // Both drafts were dated in WordPress (post_date_gmt set): they keep it.
    expect(drafts.every((text) => /^date: /m.test(text))).toBe(true);
  });

  describe("served by the Worker", () => {
    let worker: BlogWorker | null = null;
    const served = (): BlogWorker => {
      if (!worker) throw new Error("the Worker did not start");
      return worker;
    };
    let articles: Record<string, unknown>[] = [];
    let redirectRows: Record<string, unknown>[] = [];

    beforeAll(async () => {
      [articles = [], , redirectRows = []] = await snapshotD1(workspace());
      worker = await startBlogWorker(workspace());
    });

    // Disposed before the next tests write to the same local D1 again.
    afterAll(async () => {
      await worker?.dispose();
    });

    it("serves every published post and page", async () => {
      const published = articles.filter(
        (a) => a.status === "published" && (a.published_at as number) <= Date.now() && !String(a.source_path).startsWith("pages/"),
      );
      expect(published.length).toBe(55);
      for (const article of published) {
        const page = await served().fetch(`http://blog.test/articles/${article.slug}`);
        const html = await page.text();
        expect(page.status, String(article.slug)).toBe(200);
        expect(html).toContain(escapeHtml(String(article.title)));
      }
      await expectPagesServed(served(), articles);
      const withComments = await (await served().fetch("http://blog.test/articles/template-comments")).text();
      expect(withComments).toContain("Comment Depth 10");
      // The old anchors land: WordPress's comment 905 keeps id="comment-905".
      expect(withComments).toContain('<span id="comment-905" class="comment-anchor"></span>');
      const home = await (await served().fetch("http://blog.test/")).text();
      expect(home.match(/<h2><a href="\/articles\/([^"]+)">/)?.[1]).toBe("template-sticky");
    });

    it("shows no pending comment", async () => {
      const [pending = []] = (await queryD1(
        workspace().target,
        "SELECT c.body_raw, a.slug FROM comments c JOIN articles a ON a.id = c.article_id WHERE c.status = 'pending'",
      )) as { body_raw: string; slug: string }[][];
      expect(pending).toHaveLength(3);
      for (const c of pending) {
        const html = await (await served().fetch(`http://blog.test/articles/${c.slug}`)).text();
        expect(html).not.toContain(c.body_raw.trim().split("\n")[0]);
      }
    });

    it("answers every old link with 301 to a page that answers", async () => {
      // Scheduled posts answer on their date.
      const scheduled = articles.filter((a) => (a.published_at as number) > Date.now()).map((a) => `/articles/${a.slug}`);
      expect(scheduled).toEqual(["/articles/scheduled"]);
      const targets = new Set(redirectRows.map((r) => String(r.to_path)).filter((to) => !scheduled.some((s) => to.startsWith(s))));
      expect(targets.size).toBeGreaterThan(100);
      for (const to of targets) expect((await served().fetch(`http://blog.test${to}`)).status, to).toBe(200);
      const links = await expectOldLinksRedirected(served(), await readFile(THEME_UNIT_TEST, "utf8"));
      expect(links.filter((l) => l.startsWith("/?page_id=")).length).toBeGreaterThan(10);
      expect(links.filter((l) => l.startsWith("/tag/")).length).toBeGreaterThan(10);
      expect(links.filter((l) => l.startsWith("/category/")).length).toBeGreaterThan(10);
    });
  });

  it("changes nothing when run again", async () => {
    const before = await snapshotD1(workspace());
    const files = await listContent(workspace());
    const read = (f: string) => readFile(path.join(workspace().content, f), "utf8").catch(() => "");
    const texts = await Promise.all(files.map(read));
    const result = await runImport(workspace(), [THEME_UNIT_TEST]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 58 (0 new, 0 replacing a file, 58 unchanged");
    expect(result.out).toContain("Nothing to publish");
    expect(await snapshotD1(workspace())).toEqual(before);
    expect(await listContent(workspace())).toEqual(files);
    expect(await Promise.all(files.map(read))).toEqual(texts);
  });
});
