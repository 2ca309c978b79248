// `npm run import:wordpress` end to end on the project's older exports
// (test/fixtures/wordpress/journal-1.1.xml and carnet-1.0.xml): an English
// blog in a subfolder and a French WXR 1.0 site, imported one after the other
// into a temporary content folder and local D1 (real wrangler), then served
// by the Worker; a second import of each changes nothing.
import { readFile, rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deriveCommentId } from "../../../tools/wordpress/comment-rows";
import { expectOldLinksRedirected, listContent, queryRows, ROOT, runImport, snapshotD1, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const FIXTURES = path.join(ROOT, "test/fixtures/wordpress");
const JOURNAL = path.join(FIXTURES, "journal-1.1.xml");
const CARNET = path.join(FIXTURES, "carnet-1.0.xml");

let ws: Workspace;

beforeAll(async () => {
  ws = await createWorkspace("wordpress-older-");
});

afterAll(async () => {
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

const readContent = (file: string) => readFile(path.join(ws.content, file), "utf8");
const listRows = (sql: string) => queryRows(ws, sql);

describe("importing the project's WXR 1.1 and 1.0 exports into a local D1", () => {
  it("imports the WXR 1.1 export: English, a blog in a subfolder, a duplicate, a long and a Cyrillic slug", async () => {
    const result = await runImport(ws, [JOURNAL]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 6 (6 new, 0 replacing a file, 0 unchanged; 0 drafts, 0 scheduled)");
    // [audio] of an upload that was not copied (no --media) is a link to it.
    expect(result.out).not.toContain('post 606 "Pictures and sounds": shortcodes kept as text');
    expect(result.out).toContain("Published: 7 new, 0 changed, 0 unchanged");
    const longSlug = "why-we-still-write-long-posts-about-small-things-even-when-nobody-asked-for-them-and-the-coffee-has";
    expect(await listContent(ws)).toEqual(expect.arrayContaining(["news.md", "news-2.md", `${longSlug}.md`, "post-605.md", "pages/about.md"]));
    expect(await readContent("hello-again.md")).toContain('lang: en\nauthor: "Sam & Kim"');
    expect(await readContent("pictures-and-sounds.md")).toContain("<figcaption>The harbour at dawn</figcaption></figure>\n\n3.  third\n4.  fourth");
    expect(await readContent("pictures-and-sounds.md")).toContain(
      "[https://example.org/journal/wp-content/uploads/2012/10/waves.mp3](https://example.org/journal/wp-content/uploads/2012/10/waves.mp3)",
    );
    const articles = new Map((await listRows("SELECT slug, title, lang FROM articles")).map((a) => [a.slug, a]));
    expect(articles.get("post-605")).toMatchObject({ title: "Привет, мир", lang: "en" });
    expect(articles.get(longSlug)).toMatchObject({ lang: "en" });
    const comments = await listRows(
      "SELECT c.id, c.parent_id, c.status FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'hello-again' ORDER BY c.created_at",
    );
    const journalId = (id: string) => deriveCommentId("https://example.org/journal", id);
    expect(comments).toEqual([
      { id: journalId("31"), parent_id: null, status: "approved" },
      { id: journalId("32"), parent_id: journalId("31"), status: "approved" },
    ]);
    const redirects = new Map((await listRows("SELECT from_path, to_path FROM redirects")).map((r) => [r.from_path, r.to_path]));
    for (const [from, to] of [
      ["/journal?p=603", "/articles/news-2"],
      ["/journal/2012/07/news", "/articles/news-2"],
      ["/journal/2012/09/привет-мир", "/articles/post-605"],
      ["/articles/привет-мир", "/articles/post-605"],
      ["/journal/category/uncategorized", "/"],
      ["/journal?page_id=701", "/about"],
    ])
      expect(redirects.get(from), from).toBe(to);
  });

  it("imports the WXR 1.0 export beside it: no author records, a language the blog does not speak, ?p= links", async () => {
    const result = await runImport(ws, [CARNET]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Comments: 1 approved, 1 pending, 0 spam, 0 trash.");
    expect(result.out).toContain("Published: 3 new, 0 changed, 7 unchanged");
    const premiere = await readContent("premiere-note.md");
    expect(premiere).toContain('tags: ["Carnet", "Été"]\nauthor: "admin"\ndraft: false');
    expect(premiere).not.toContain("lang:");
    const articles = new Map((await listRows("SELECT slug, lang, author FROM articles")).map((a) => [a.slug, a]));
    expect(articles.get("premiere-note")).toMatchObject({ lang: "de", author: "admin" });
    expect(articles.get("a-propos")).toMatchObject({ lang: "de" });
    const comments = await listRows(
      "SELECT c.author, c.status FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'premiere-note' ORDER BY c.created_at",
    );
    expect(comments).toEqual([
      { author: "Élodie", status: "approved" },
      { author: "Paul", status: "pending" },
    ]);
    const redirects = new Map((await listRows("SELECT from_path, to_path FROM redirects")).map((r) => [r.from_path, r.to_path]));
    for (const [from, to] of [
      ["/?p=801", "/articles/premiere-note"],
      ["/?page_id=803", "/a-propos"],
      ["/category/carnet", "/tags/carnet"],
      ["/tag/ete", "/tags/ete"],
    ])
      expect(redirects.get(from), from).toBe(to);
  });

  it("serves both sites' posts and pages, and answers their public links with 301, the subfolder's too", async () => {
    const worker = await startBlogWorker(ws);
    try {
      const articles = await listRows("SELECT slug, title, kind FROM articles");
      expect(articles).toHaveLength(10);
      for (const a of articles) {
        const res = await worker.fetch(`http://blog.test${a.kind === "page" ? "" : "/articles"}/${a.slug}`);
        expect(res.status, String(a.slug)).toBe(200);
      }
      const checked: string[] = [];
      for (const file of [JOURNAL, CARNET]) checked.push(...(await expectOldLinksRedirected(worker, await readFile(file, "utf8"))));
      expect(checked).toEqual(
        expect.arrayContaining(["/journal/?p=603", "/journal/2012/09/%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82-%d0%bc%d0%b8%d1%80/", "/journal/tag/notes/"]),
      );
      expect(checked).toEqual(expect.arrayContaining(["/?p=801", "/?page_id=803", "/category/carnet/", "/tag/ete/"]));
    } finally {
      await worker.dispose();
    }
  });

  it.each([
    ["WXR 1.1", JOURNAL],
    ["WXR 1.0", CARNET],
  ])("changes nothing when the %s export is imported again", async (_, file) => {
    const before = await snapshotD1(ws);
    const files = await listContent(ws);
    const texts = await Promise.all(files.map((f) => readContent(f).catch(() => "")));
    const result = await runImport(ws, [file]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/^Posts: \d+ \(0 new, 0 replacing a file, \d+ unchanged/m);
    expect(result.out).toContain("Nothing to publish");
    expect(await snapshotD1(ws)).toEqual(before);
    expect(await listContent(ws)).toEqual(files);
    expect(await Promise.all(files.map((f) => readContent(f).catch(() => "")))).toEqual(texts);
  });
});
