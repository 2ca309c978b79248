// `npm run import:wordpress` end to end on public-only.xml (written for this
// test, beside the other fixtures): only what readers saw in WordPress becomes
// public (no editorial notes, no plugin's comment types, pingbacks only when
// asked), undated drafts stay undated, links to the old site become the new
// paths, the featured image becomes the article's image, the sticky post is
// pinned, and each comment keeps its old anchor; then the Worker serves it.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BlogWorker, queryRows, ROOT, runImport, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const FIXTURE = path.join(ROOT, "test/fixtures/wordpress/public-only.xml");
// The header of a 640×480 JPEG: enough for publish to measure it.
const JPEG_640X480 = Buffer.from("ffd8ffe000104a46494600010100000100010000ffc000110801e0028003012200021101031101ffd9", "hex");
const OLD_HOST = /altes-blog\.example/;

let ws: Workspace;
let uploads = "";

beforeAll(async () => {
  ws = await createWorkspace("wordpress-public-only-");
  uploads = path.join(ws.tmp, "uploads");
  await mkdir(path.join(uploads, "2023/05"), { recursive: true });
  await writeFile(path.join(uploads, "2023/05/foto.jpg"), JPEG_640X480);
});

afterAll(async () => {
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

const readContent = (file: string) => readFile(path.join(ws.content, file), "utf8");

describe("importing only what was public, with links, dates, images, pins and anchors", () => {
  it("counts in the plan what it leaves out and why", async () => {
    const result = await runImport(ws, [FIXTURE, "--media", uploads, "--dry-run"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Comments: 3 approved, 1 pending, 1 spam, 0 trash.");
    expect(result.out).toContain("  2 pingbacks and trackbacks skipped (--pingbacks imports them).");
    expect(result.out).toContain('  Left out: 2 editorial notes, 1 of type "webmention"; WordPress never showed them to readers as comments.');
    expect(result.out).toContain('post 14 "Ungeplanter Entwurf": never dated in WordPress: stays undated, its first publish dates it');
    expect(result.out).not.toContain('post 15 "Datierter Entwurf": never dated');
    // With --pingbacks the two come in (approved, as they were); the notes never do.
    const pings = await runImport(ws, [FIXTURE, "--media", uploads, "--dry-run", "--pingbacks"]);
    expect(pings.out).toContain("Comments: 5 approved, 1 pending, 1 spam, 0 trash.");
    expect(pings.out).not.toContain("pingbacks and trackbacks skipped");
    expect(pings.out).toContain("  Left out: 2 editorial notes");
  });

  it("writes undated drafts without a date, links as new paths, the featured image and the pin into the files", async () => {
    const result = await runImport(ws, [FIXTURE, "--media", uploads, "--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Published: 7 new");

    const undated = await readContent("ungeplanter-entwurf.md");
    expect(undated).toContain("draft: true");
    expect(undated).not.toMatch(/^date:/m);
    // Its GMT time is its last save (as older WordPress wrote it): undated too.
    expect(await readContent("gespeicherter-entwurf.md")).not.toMatch(/^date:/m);
    expect(await readContent("datierter-entwurf.md")).toMatch(/^date: 2024-01-15T09:00:00Z$/m);

    const first = await readContent("erster-beitrag.md");
    expect(first).toContain("[zweiten Beitrag](/articles/zweiter-beitrag)");
    expect(first).toContain("[Heikes Kommentar](/articles/zweiter-beitrag#comment-12)");
    expect(first).toContain("[dem Blick über den Tellerrand](/articles/ueber-den-tellerrand)");
    expect(first).toContain("[über uns](/ueber-uns), [noch einmal](/ueber-uns)");
    expect(first).toContain("[Neuigkeiten](/tags/neuigkeiten), alles zu [KMU](/tags/kmu)");
    expect(first).toContain("das [Foto](/articles/zweiter-beitrag) und [relativ verlinkt](/articles/zweiter-beitrag)");
    expect(first).toContain("![Das Team](/media/2023/05/foto.jpg)");
    // Other sites stay as they were, their uploads too.
    expect(first).toContain("[example.org](https://example.org/2023/05/zweiter-beitrag/)");
    expect(first).toContain("[ein fremdes Foto](https://anderes.example/wp-content/uploads/2023/05/foto.jpg)");
    expect(first).not.toMatch(OLD_HOST);
    expect(await readContent("pages/ueber-uns.md")).toContain("[ersten Beitrag](/articles/erster-beitrag#comment-2)");

    const second = await readContent("zweiter-beitrag.md");
    expect(second).toContain('image: "/media/2023/05/foto.jpg"\nimageAlt: "Das Team vor dem Büro"\npinned: true\n');
    expect(await readContent("ueber-den-tellerrand.md")).not.toContain("pinned:");
  });

  it("stores only plain comments, with their status and their WordPress id, and the image's size and the pin on the article", async () => {
    const comments = await queryRows(ws, "SELECT author, status, wordpress_id, body_raw, body_html FROM comments ORDER BY wordpress_id");
    expect(comments.map((c) => [c.wordpress_id, c.status])).toEqual([
      ["12", "approved"],
      ["13", "approved"],
      ["2", "approved"],
      ["8", "spam"],
      ["9", "pending"],
    ]);
    expect(comments.some((c) => /NOTIZ|PINGBACK|TRACKBACK|WEBMENTION/.test(String(c.body_raw)))).toBe(false);
    const heike = comments.find((c) => c.wordpress_id === "12");
    expect(heike?.body_html).toContain('<a href="/articles/erster-beitrag" rel="nofollow ugc noopener">hier</a>');
    const [article] = await queryRows(ws, "SELECT image, image_alt, image_width, image_height, pinned FROM articles WHERE slug = 'zweiter-beitrag'");
    expect(article).toEqual({ image: "/media/2023/05/foto.jpg", image_alt: "Das Team vor dem Büro", image_width: 640, image_height: 480, pinned: 1 });
    const [undated] = await queryRows(ws, "SELECT status, published_at FROM articles WHERE slug = 'ungeplanter-entwurf'");
    expect(undated).toEqual({ status: "draft", published_at: null });
  });

  describe("served by the Worker", () => {
    let worker: BlogWorker | null = null;
    const page = async (url: string) => {
      if (!worker) throw new Error("the Worker did not start");
      const res = await worker.fetch(`http://blog.test${url}`);
      expect(res.status, url).toBe(200);
      return res.text();
    };

    beforeAll(async () => {
      worker = await startBlogWorker(ws);
    });

    afterAll(async () => {
      await worker?.dispose();
    });

    it("shows no note, pingback, plugin comment, spam or pending comment, and keeps each comment's old anchor", async () => {
      const html = await page("/articles/erster-beitrag");
      for (const hidden of ["NOTIZ", "PINGBACK", "TRACKBACK", "WEBMENTION", "SPAM", "WARTET"]) expect(html).not.toContain(hidden);
      expect(html).toContain("Danke für den Beitrag!");
      expect(html).toContain('<span id="comment-2" class="comment-anchor"></span>');
      const second = await page("/articles/zweiter-beitrag");
      expect(second).toContain('<span id="comment-12" class="comment-anchor"></span>');
      expect(second).toContain('<span id="comment-13" class="comment-anchor"></span>');
    });

    it("links to the new paths, never to the old site", async () => {
      const html = await page("/articles/erster-beitrag");
      expect(html).toContain('<a href="/articles/zweiter-beitrag#comment-12">Heikes Kommentar</a>');
      expect(html).toContain('<a href="/tags/kmu">KMU</a>');
      expect(html).not.toMatch(OLD_HOST);
      expect(await page("/articles/zweiter-beitrag")).toContain('<a href="/articles/erster-beitrag" rel="nofollow ugc noopener">hier</a>');
      // The comment feed makes the comment's path absolute.
      if (!worker) throw new Error("the Worker did not start");
      const feed = await (await worker.fetch("http://blog.test/articles/zweiter-beitrag/comments/feed.xml")).text();
      expect(feed).toMatch(/href=&quot;https?:\/\/[^&]+\/articles\/erster-beitrag&quot;|href="https?:\/\/[^"]+\/articles\/erster-beitrag"/);
    });

    it("uses the featured image at full size for og:image and shows it with its size, lazy in the list", async () => {
      const html = await page("/articles/zweiter-beitrag");
      expect(html).toMatch(/<meta property="og:image" content="https?:\/\/[^"]+\/media\/2023\/05\/foto\.jpg"/);
      expect(html).toContain('<img class="article-image" src="/media/2023/05/foto.jpg" alt="Das Team vor dem Büro" width="640" height="480"');
      const home = await page("/");
      expect(home).toContain('src="/media/2023/05/foto.jpg" alt="Das Team vor dem Büro" width="640" height="480" loading="lazy"');
      expect(await page("/articles/erster-beitrag")).toMatch(/<meta property="og:image" content="[^"]*\/media\/2023\/05\/foto\.jpg"/);
    });

    it("lists the sticky post first on the home page, before newer ones", async () => {
      const home = await page("/");
      const listed = [...home.matchAll(/<h2><a href="\/articles\/([^"]+)">/g)].map((m) => m[1]);
      expect(listed).toEqual(["zweiter-beitrag", "ueber-den-tellerrand", "erster-beitrag"]);
    });
  });
});
