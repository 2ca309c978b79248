// Renames, moves, files that are gone, --prune and deleting for good, end to
// end: the real publish and delete commands with the real `wrangler d1
// execute --local` on a temporary local D1 (its content folder a git
// repository, for `git mv`), and the Worker reading that D1.
import { execFile } from "node:child_process";
import { mkdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryD1 } from "../../../tools/lib/wrangler";
import { runDelete } from "../../../tools/publish/delete-command";
import { type CliIo, runPublish } from "../../../tools/publish/publish-command";
import { type BlogWorker, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const ID_LINE = /^id: ([0-9A-HJKMNP-TV-Z]{26})$/m;

let ws: Workspace;
let worker: BlogWorker;

async function run(command: typeof runPublish, args: string[], answer: boolean | null = null) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => answer };
  const content = command === runPublish ? ["--content", ws.content] : [];
  const code = await command([...args, "--local", "--persist-to", ws.target.persistTo ?? "", ...content], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}
const publish = (args: string[] = [], answer: boolean | null = null) => run(runPublish, args, answer);
const deleteForGood = (args: string[], answer: boolean | null = null) => run(runDelete, args, answer);

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const [result = []] = (await queryD1(ws.target, sql)) as Record<string, unknown>[][];
  return result;
}

/** Everything the publisher and the comments write, to compare before and after. */
function snapshot() {
  return queryD1(
    ws.target,
    "SELECT * FROM articles ORDER BY id; SELECT * FROM article_tags ORDER BY article_id, tag_id; SELECT * FROM article_aliases ORDER BY slug; SELECT id, article_id FROM comments ORDER BY id",
  );
}

/** Approved comments on the article, in one wrangler call. */
async function addComments(slug: string, count: number): Promise<void> {
  const values = Array.from({ length: count }, (_, i) => `('${slug}-c${i}', 'Kommentar ${i} zu ${slug}', ${1_700_000_000_000 + i})`);
  await queryD1(
    ws.target,
    `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) SELECT v.column1, a.id, 'Leserin', 'l@example.com', v.column2, '<p>' || v.column2 || '</p>', 'approved', v.column3 FROM (VALUES ${values.join(", ")}) AS v JOIN articles a ON a.slug = '${slug}'`,
  );
}

async function commentsOf(slug: string): Promise<number> {
  const [row] = await rows(`SELECT count(*) AS n FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = '${slug}'`);
  return Number(row?.n);
}

const git = (...args: string[]) => promisify(execFile)("git", ["-c", "user.name=Test", "-c", "user.email=t@example.com", ...args], { cwd: ws.content });
const file = (name: string) => path.join(ws.content, name);
const shown = (name: string) => path.relative(ROOT, file(name));
const get = (url: string) => worker.fetch(`http://blog.test${url}`, { redirect: "manual" });

beforeAll(async () => {
  ws = await createWorkspace("publish-renames-");
  await git("init", "-q");
  worker = await startBlogWorker(ws);
});

afterAll(async () => {
  await worker?.dispose();
  if (ws?.tmp) await rm(ws.tmp, { recursive: true, force: true });
});

// Each test runs the commands several times, and wrangler takes seconds to start each time.
describe("renames and files that are gone, through npm run publish and a local D1", { timeout: 400_000 }, () => {
  it("renames the article when its slug changes: same row, comments kept, the old URL answers 301", async () => {
    await writeFile(
      file("beitrag.md"),
      "---\ntitle: Zwiebelkuchen im Herbst\nslug: alter-name\ndate: 2024-05-01\ntags: [Küche]\n---\n\nZwiebelkuchen mit Speck.\n",
    );
    expect((await publish(["--yes"])).code).toBe(0);
    await addComments("alter-name", 2);
    const [before] = await rows("SELECT id FROM articles WHERE slug = 'alter-name'");
    const text = await readFile(file("beitrag.md"), "utf8");
    await writeFile(file("beitrag.md"), text.replace("slug: alter-name", "slug: neuer-name"));
    const renamed = await publish(["--yes"]);
    expect(renamed.code, renamed.err).toBe(0);
    expect(renamed.out).toMatch(/ {2}changed {2}neuer-name {2}.*beitrag\.md \(renamed alter-name → neuer-name, content\)/);
    expect(renamed.out).toContain("0 new, 1 changed, 0 unchanged.");
    expect(await rows("SELECT id, slug FROM articles")).toEqual([{ id: before?.id, slug: "neuer-name" }]);
    expect(await commentsOf("neuer-name")).toBe(2);
    const old = await get("/articles/alter-name");
    expect([old.status, old.headers.get("Location")]).toEqual([301, "/articles/neuer-name"]);
    const page = await get("/articles/neuer-name");
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain("Kommentar 1 zu alter-name");
    const home = await (await get("/")).text();
    expect(home).toContain('href="/articles/neuer-name"');
    expect(home).not.toContain("/articles/alter-name");
  });

  it("accepts the article's own former slug in aliases, and keeps every former slug redirecting", async () => {
    const text = await readFile(file("beitrag.md"), "utf8");
    await writeFile(file("beitrag.md"), text.replace("slug: neuer-name", "slug: dritter-name\naliases: [alter-name]"));
    const result = await publish(["--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("renamed neuer-name → dritter-name");
    for (const former of ["alter-name", "neuer-name"]) {
      const res = await get(`/articles/${former}`);
      expect([res.status, res.headers.get("Location")], former).toEqual([301, "/articles/dritter-name"]);
    }
    expect(await commentsOf("dritter-name")).toBe(2);
  });

  it("writes an id into a file at its first publish, every other byte as it was, and only once", async () => {
    const original = "\uFEFF---\r\ntitle: Mit Id\r\n# ein Kommentar bleibt\r\ndate: 2024-06-01\r\n---\r\n\r\nText mit CRLF.\r\n";
    await writeFile(file("mit-id.md"), original);
    const first = await publish(["--yes"]);
    expect(first.code, first.err).toBe(0);
    const written = await readFile(file("mit-id.md"), "utf8");
    const id = ID_LINE.exec(written.replace(/\r/g, ""))?.[1] ?? "";
    expect(written).toBe(original.replace("date: 2024-06-01\r\n---", `date: 2024-06-01\r\nid: ${id}\r\n---`));
    expect(await rows("SELECT source_id FROM articles WHERE slug = 'mit-id'")).toEqual([{ source_id: id }]);
    const again = await publish(["--yes"]);
    expect(again.out).toContain("Nothing to publish");
    expect(await readFile(file("mit-id.md"), "utf8")).toBe(written);
  });

  it("finds the article of a file moved with git mv by its id, also when the move changed its slug", async () => {
    await git("add", "-A");
    await git("commit", "-qm", "articles");
    await mkdir(file("2024"));
    await git("mv", "mit-id.md", "2024/mit-id.md");
    const moved = await publish(["--yes"]);
    expect(moved.code, moved.err).toBe(0);
    expect(moved.out).toMatch(/ {2}changed {2}mit-id +\S*2024\/mit-id\.md \(moved from mit-id\.md\)/);
    await addComments("mit-id", 1);
    // Path and slug (from the file name) change at once: only the id tells it is the same article.
    await git("mv", "2024/mit-id.md", "2024/mit-neuem-namen.md");
    const both = await publish(["--yes"]);
    expect(both.code, both.err).toBe(0);
    expect(both.out).toContain("renamed mit-id → mit-neuem-namen, moved from 2024/mit-id.md");
    expect(both.out).toContain("0 new, 1 changed");
    expect(await commentsOf("mit-neuem-namen")).toBe(1);
    const old = await get("/articles/mit-id");
    expect([old.status, old.headers.get("Location")]).toEqual([301, "/articles/mit-neuem-namen"]);
  });

  it("refuses two files with one id, naming both, and writes nothing", async () => {
    const before = await snapshot();
    const copy = await readFile(file("2024/mit-neuem-namen.md"), "utf8");
    await writeFile(file("kopie.md"), copy.replace("title: Mit Id", "title: Kopie"));
    try {
      const result = await publish(["--yes"]);
      expect(result.code).toBe(1);
      const id = ID_LINE.exec(copy.replace(/\r/g, ""))?.[1];
      expect(result.err).toContain(
        `${shown("kopie.md")}:5: id: "${id}" is also the id of ${shown("2024/mit-neuem-namen.md")}; two files cannot be one article.`,
      );
      expect(result.err).toContain("nothing was published");
      expect(await snapshot()).toEqual(before);
      expect(await readFile(file("kopie.md"), "utf8")).toBe(copy.replace("title: Mit Id", "title: Kopie"));
    } finally {
      await unlink(file("kopie.md"));
    }
  });

  it("lists a file that is gone while its article is live, and deletes nothing", async () => {
    await mkdir(file("pages"));
    await writeFile(file("pages/ueber-uns.md"), "---\ntitle: Über uns\n---\n\nWir backen.\n");
    expect((await publish(["--yes"])).code).toBe(0);
    await unlink(file("beitrag.md"));
    await unlink(file("pages/ueber-uns.md"));
    const before = await snapshot();
    const result = await publish(["--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(`  gone     dritter-name  ${shown("beitrag.md")} — article /articles/dritter-name is still live; --prune takes it offline`);
    expect(result.out).toContain(`  gone     ueber-uns     ${shown("pages/ueber-uns.md")} — page /ueber-uns is still live; --prune takes it offline`);
    expect(result.out).toContain("Nothing to publish");
    expect(result.out).toContain("2 files are gone while their articles are still in D1");
    expect(await snapshot()).toEqual(before);
    expect((await get("/articles/dritter-name")).status).toBe(200);
  });

  it("--prune takes them offline: 410 at their URLs, out of home, feeds, search, sitemap and archive; kept in D1 with their comments", async () => {
    const visible = async () =>
      Promise.all(
        ["/", "/feed.xml", "/search?q=Zwiebelkuchen", "/sitemap.xml", "/archive/2024/05", "/tags/kueche"].map(async (url) => [
          url,
          await (await get(url)).text(),
        ]),
      );
    for (const [url, body] of await visible()) expect(body, url).toContain("dritter-name");
    const refused = await publish(["--prune"], null);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain("Not taking 2 articles offline without confirmation");
    const result = await publish(["--prune", "--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(
      `  offline  dritter-name  ${shown("beitrag.md")} — article /articles/dritter-name goes offline (410 Gone); kept in D1 with its 2 comments, back when its file is`,
    );
    expect(result.out).toContain("2 taken offline.");
    for (const url of ["/articles/dritter-name", "/articles/alter-name", "/articles/neuer-name", "/ueber-uns"]) {
      const res = await get(url);
      expect(res.status, url).toBe(410);
      expect(await res.text(), url).toContain("Nicht mehr online");
    }
    for (const [url, body] of await visible()) expect(body, url).not.toContain("dritter-name");
    expect((await get("/archive/2024/05")).status).toBe(404);
    expect(await rows("SELECT slug, status, gone_at IS NOT NULL AS gone FROM articles WHERE slug IN ('dritter-name', 'ueber-uns') ORDER BY slug")).toEqual([
      { slug: "dritter-name", status: "draft", gone: 1 },
      { slug: "ueber-uns", status: "draft", gone: 1 },
    ]);
    expect(await commentsOf("dritter-name")).toBe(2);
    expect((await publish(["--prune", "--yes"])).out).toContain("Nothing to publish: D1 already holds every article as it is.");
  });

  it("restores an article when its file comes back", async () => {
    await git("checkout", "--", "beitrag.md");
    const result = await publish(["--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/ {2}restored +dritter-name +\S*beitrag\.md \(back on the site at \/articles\/dritter-name\)/);
    expect((await get("/articles/dritter-name")).status).toBe(200);
    expect(await (await get("/")).text()).toContain("/articles/dritter-name");
    expect(await commentsOf("dritter-name")).toBe(2);
  });

  it("deletes for good only an article taken offline, says how many comments go with it, and only with --yes", async () => {
    const live = await deleteForGood(["dritter-name", "--yes"]);
    expect(live.code).toBe(1);
    expect(live.err).toContain("dritter-name: still on the site");
    await unlink(file("beitrag.md"));
    expect((await publish(["--prune", "--yes"])).code).toBe(0);
    const before = await snapshot();
    const asked = await deleteForGood(["dritter-name"], null);
    expect(asked.code).toBe(1);
    expect(asked.out).toContain("  article /articles/dritter-name: its 2 comments (2 approved), 2 old URLs");
    expect(asked.err).toContain(
      "Not deleting 1 article and 2 comments without confirmation, and there is no terminal to ask: run again with --yes. Nothing was deleted.",
    );
    expect((await deleteForGood(["dritter-name"], false)).code).toBe(1);
    expect((await deleteForGood(["gibt-es-nicht", "--yes"])).err).toContain("gibt-es-nicht: no article or page with this slug in D1");
    expect(await snapshot()).toEqual(before);
    const done = await deleteForGood(["dritter-name", "--yes"]);
    expect(done.code, done.err).toBe(0);
    expect(done.out).toContain("Deleted for good: 1 article and 2 comments.");
    expect(await rows("SELECT slug FROM articles WHERE slug = 'dritter-name'")).toEqual([]);
    expect(await rows("SELECT id FROM comments WHERE id LIKE 'alter-name-%'")).toEqual([]);
    expect(await rows("SELECT slug FROM article_aliases WHERE slug IN ('alter-name', 'neuer-name')")).toEqual([]);
    expect((await get("/articles/dritter-name")).status).toBe(404);
    // What it did not name stays: the page offline, the other article with its comment.
    expect(await rows("SELECT slug FROM articles ORDER BY slug")).toEqual([{ slug: "mit-neuem-namen" }, { slug: "ueber-uns" }]);
    expect(await commentsOf("mit-neuem-namen")).toBe(1);
  });
});
