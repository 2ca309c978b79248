// `npm run import:wordpress` end to end on the project's own WXR 1.2 export
// (test/fixtures/wordpress/, so it runs in any clone): into a temporary
// content folder and local D1 (real wrangler), then served by the Worker;
// refusals write nothing; a second import changes nothing. The WXR 1.1 and
// 1.0 exports are in import-command-older-exports.node.test.ts; WordPress's
// Theme Unit Test, when ../shared holds it, in import-command-corpus.node.test.ts.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeHtml } from "../../../src/lib/html";
import { deriveCommentId, hashIp } from "../../../tools/wordpress/comment-rows";
import { AGENTURBLOG_CONTENT, AGENTURBLOG_PLAN, AGENTURBLOG_WILLKOMMEN_MD } from "../../fixtures/wordpress/agenturblog-1.2.expected";
import { findXssProblems } from "../../helpers/xss-judge";
import { type BlogWorker, expectOldLinksRedirected, listContent, queryRows, ROOT, runImport, snapshotD1, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const FIXTURES = path.join(ROOT, "test/fixtures/wordpress");
const AGENTUR = path.join(FIXTURES, "agenturblog-1.2.xml");
const SALT = "fixture-ip-salt";
// Worker modules type-check against the Workers types, which this Node-side
// test does not load: the sub-app comes in by a path tsc does not follow.

let ws: Workspace;
let uploads = "";
const saltBefore = process.env.IP_HASH_SALT;

beforeAll(async () => {
  ws = await createWorkspace("wordpress-fixtures-");
  process.env.IP_HASH_SALT = SALT;
  // The old uploads folder holds the original of the team photo, not its 300x200 variant, and not the poster.
  uploads = path.join(ws.tmp, "uploads");
  await mkdir(path.join(uploads, "2019/04"), { recursive: true });
  await writeFile(path.join(uploads, "2019/04/team.jpg"), "not really a JPEG");
});

afterAll(async () => {
  if (saltBefore === undefined) Reflect.deleteProperty(process.env, "IP_HASH_SALT");
  else process.env.IP_HASH_SALT = saltBefore;
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

const readContent = (file: string) => readFile(path.join(ws.content, file), "utf8");
const commentId = (id: string) => deriveCommentId("https://alt.example", id);

const listRows = (sql: string) => queryRows(ws, sql);

describe("importing the project's WordPress exports into a local D1", () => {
  it("refuses a broken, a foreign, a version-less and an unknown-version export by name, and writes nothing", async () => {
    const xml = await readFile(AGENTUR, "utf8");
    const tag = "</wp:post_id><wp:post_type>";
    const brokenLine = xml.slice(0, xml.indexOf(tag)).split("\n").length;
    const cases: [string, string, RegExp][] = [
      ["broken.xml", xml.replace(tag, "</wp:post_ID><wp:post_type>"), new RegExp(`broken\\.xml: line ${brokenLine}, column \\d+: malformed XML: `)],
      ["page.xml", "<!DOCTYPE html><html><body><p>Hallo</p></body></html>", /page\.xml: not a WordPress export: no <rss> root element/],
      ["no-version.xml", xml.replace("<wp:wxr_version>1.2</wp:wxr_version>", ""), /no-version\.xml: not a WordPress export: no <wp:wxr_version>/],
      [
        "future.xml",
        xml.replace("<wp:wxr_version>1.2</wp:wxr_version>", "<wp:wxr_version>1.3</wp:wxr_version>"),
        /future\.xml: not a WordPress export: unknown <wp:wxr_version> "1\.3"/,
      ],
    ];
    const before = await snapshotD1(ws);
    for (const [name, text, message] of cases) {
      const file = path.join(ws.tmp, name);
      await writeFile(file, text);
      const result = await runImport(ws, [file, "--yes"]);
      expect(result.code, name).toBe(1);
      expect(result.err).toMatch(message);
      expect(result.err).toContain("Nothing was written.");
    }
    expect(await listContent(ws)).toEqual([]);
    expect(await snapshotD1(ws)).toEqual(before);
  });

  it("plans the WXR 1.2 export on --dry-run: every kind counted, every skip and note listed, nothing written", async () => {
    const result = await runImport(ws, [AGENTUR, "--media", uploads, "--dry-run"]);
    expect(result.code, result.err).toBe(0);
    const lines = result.out.split("\n");
    for (const line of [
      `WordPress export "Altes Agenturblog" (https://alt.example, WXR 1.2) into the content folder and the local D1 database in ${ws.target.persistTo}:`,
      ...AGENTURBLOG_PLAN,
      "Dry run: nothing was written.",
    ])
      expect(lines, line).toContain(line);
    expect(await listContent(ws)).toEqual([]);
    expect((await snapshotD1(ws))[0]).toEqual([]);
  });

  it("imports the export: one Markdown file per post and page, and the media it links to", async () => {
    const result = await runImport(ws, [AGENTUR, "--media", uploads]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Wrote 17 Markdown files and copied 1 media files into");
    expect(result.out).toContain("Published: 17 new");
    // Beside the files, the record of what the import wrote (by hash), for the next import.
    expect(await listContent(ws)).toEqual([".wordpress-import.json", ...AGENTURBLOG_CONTENT]);
    expect(await readContent("media/2019/04/team.jpg")).toBe("not really a JPEG");
    expect(await readContent("willkommen.md")).toBe(AGENTURBLOG_WILLKOMMEN_MD);

    // Classic editor: paragraphs and line breaks, [caption] as a figure, a table, code with its blank lines, "]]>" whole.
    const classic = await readContent("klassischer-editor.md");
    expect(classic).toContain('tags: ["Kunden", "Handwerk", "Barrierefreiheit"]');
    expect(classic).toContain("Ein Absatz im klassischen Editor.  \nMit einem Zeilenumbruch darin.\n\nZweiter Absatz mit *Betonung*");
    expect(classic).toContain(
      '<figure><a href="/media/2019/04/team.jpg"><img src="/media/2019/04/team.jpg" alt="Team" width="300" height="200"></a><figcaption>Das Team beim Sommerfest</figcaption></figure>',
    );
    expect(classic).toContain("| Leistung | Preis |\n| --- | --- |\n| Beratung | 90 € |");
    expect(classic).toContain("```css\n.knopf {\n  color: #0a7;\n}\n\n.knopf:hover { color: #000; }\n```");
    expect(classic).toContain("Ein CDATA-Abschnitt endet mit `]]>`, auch hier.");
    expect(classic).toMatch(/^> Erst denken, dann klicken\.\s+>\s+> — <cite>Unbekannt<\/cite>$/m);
    expect(classic).toContain("```\nZeile eins\n\nZeile drei\n```");
    const gallery = await readContent("galerie.md");
    expect(gallery).toContain('summary: "Fotos & ein Video."');
    expect(gallery).toContain("comments: closed");
    // The gallery shows the export's attachments (the copied one from /media/); an embed and an iframe of an unknown site are links.
    expect(gallery).toContain(
      "![](/media/2019/04/team.jpg)\n![](https://alt.example/wp-content/uploads/2019/05/plakat.png)\n\nUnd das Video:\n\n[https://video.example/watch?v=fest](https://video.example/watch?v=fest)",
    );
    expect(gallery).toContain('\\[kontaktformular id="7"\\]');
    expect(gallery).toContain("\n<https://video.example/embed/fest>\n");
    expect(gallery).toContain('<img src="https://alt.example/wp-content/uploads/2019/05/plakat.png" alt="Plakat">');
    const hostile = await readContent("markup-als-text.md");
    expect(hostile).toContain("So schreibt man ein Skript: \\<script>alert(1)\\</script> – nur Text.");
    expect(hostile).not.toMatch(/onclick|onerror|javascript:|alert\([2-5]\)/);
    expect(await readContent("entwurf-ohne-datum.md")).toBe(
      '---\ntitle: "Entwurf ohne Datum"\nslug: "entwurf-ohne-datum"\nlang: de\nauthor: "Ben Schmidt"\ndraft: true\ncomments: open\n---\n\nGanz am Anfang.\n',
    );
    // post_date_gmt 0000-00-00 00:00:00: never dated (post_date is its last save), so its first publish dates it.
    expect(await readContent("entwurf-mit-ortszeit.md")).not.toMatch(/^date:/m);
    expect(await readContent("118.md")).toContain('title: "Ohne Titel 118"\nslug: "118"');
    expect(await readContent("pages/impressum.md")).toContain("role: imprint\n---\n\n## Angaben gemäß § 5 TMG\n\nAgentur Beispiel GmbH  \nMusterstraße 1");
  });

  it("stores the articles, tags, comments (threads, statuses, hashed IPs, sanitized) and redirects in D1", async () => {
    const articles = await listRows("SELECT slug, kind, status, role, lang, author, comments, published_at FROM articles ORDER BY slug");
    const bySlug = new Map(articles.map((a) => [a.slug, a]));
    expect(articles.filter((a) => a.status === "draft").map((a) => a.slug)).toEqual([
      ...["entwurf-mit-ortszeit", "entwurf-ohne-datum", "geschuetzt", "nur-fuer-uns", "preise-entwurf", "wartet-auf-freigabe"],
    ]);
    expect(articles.filter((a) => a.kind === "page").map((a) => [a.slug, a.status, a.role])).toEqual([
      ["datenschutzerklaerung", "published", "privacy"],
      ["impressum", "published", "imprint"],
      ["preise-entwurf", "draft", null],
      ["team", "published", null],
      ["ueber-uns", "published", null],
    ]);
    expect(bySlug.get("sommer-2099")).toMatchObject({ status: "published", published_at: Date.UTC(2099, 5, 1, 6) });
    expect(bySlug.get("willkommen")).toMatchObject({ lang: "de", author: "Anna Bäcker", comments: "open", published_at: Date.UTC(2019, 2, 14, 9, 15) });
    expect(bySlug.get("galerie")).toMatchObject({ comments: "closed" });
    const tags = await listRows("SELECT slug, name FROM tags ORDER BY slug");
    expect(tags.map((t) => `${t.slug}:${t.name}`)).toEqual([
      ...["agentur:Agentur", "barrierefreiheit:Barrierefreiheit", "buero:Büro", "gruesse:Grüße", "handwerk:Handwerk", "koeln:Köln", "kunden:Kunden"],
    ]);

    const comments = await listRows(
      "SELECT c.id, c.parent_id, c.author, c.email, c.url, c.status, c.ip_hash, c.body_raw, c.body_html, c.created_at, c.decided_at, a.slug FROM comments c JOIN articles a ON a.id = c.article_id ORDER BY c.created_at",
    );
    expect(comments.map((c) => [c.slug, c.author, c.status])).toEqual([
      ["willkommen", "Jürgen Weiß", "approved"],
      ["willkommen", "Anna Bäcker", "approved"],
      ["willkommen", "Lena", "approved"],
      ["willkommen", "Neugierige Leserin", "pending"],
      ["willkommen", "https://uhren.example/", "spam"],
      ["willkommen", "Weggeworfen", "trash"],
      ["willkommen", "Mallory", "approved"],
    ]);
    const [juergen, anna, lena, pending, , , mallory] = comments;
    expect(juergen).toMatchObject({
      id: commentId("1"),
      parent_id: null,
      url: "https://juergen.example/",
      ip_hash: hashIp(SALT, "192.0.2.10"),
      body_html: "<p>Schön, dass es weitergeht!</p><p>Zweiter Absatz mit <em>Betonung</em>.</p>",
      created_at: Date.UTC(2019, 2, 14, 11),
      decided_at: Date.UTC(2019, 2, 14, 11),
    });
    expect(anna).toMatchObject({ id: commentId("2"), parent_id: commentId("1") });
    expect(lena).toMatchObject({ id: commentId("3"), parent_id: commentId("2"), ip_hash: hashIp(SALT, "2001:db8::3") });
    expect(pending).toMatchObject({ ip_hash: null, decided_at: null });
    expect(mallory).toMatchObject({ url: null, body_raw: expect.stringContaining("<script>") });
    expect(findXssProblems(String(mallory?.body_html))).toEqual([]);

    const redirects = new Map((await listRows("SELECT from_path, to_path FROM redirects")).map((r) => [r.from_path, r.to_path]));
    expect(redirects.size).toBe(56);
    for (const [from, to] of [
      ["/?p=101", "/articles/willkommen"],
      ["/2019/03/14/willkommen", "/articles/willkommen"],
      ["/2019/03/14/willkommen/feed", "/articles/willkommen/comments/feed.xml"],
      ["/?attachment_id=201", "/articles/klassischer-editor"],
      ["/2019/04/02/klassischer-editor/team", "/articles/klassischer-editor"],
      ["/2019/07/01/über-grüße", "/articles/ueber-gruesse"],
      ["/articles/über-grüße", "/articles/ueber-gruesse"],
      ["/?page_id=303", "/ueber-uns"],
      ["/über-uns/team", "/team"],
      ["/category/agentur/kunden/handwerk", "/tags/handwerk"],
      ["/category/handwerk", "/tags/handwerk"],
      ["/?cat=4", "/tags/handwerk"],
      ["/category/büro", "/tags/buero"],
      ["/category/uncategorized", "/"],
      ["/tag/köln", "/tags/koeln"],
      ["/author/anna", "/"],
      ["/?author=1", "/"],
      ["/wp-content/uploads/2019/04/team.jpg", "/media/2019/04/team.jpg"],
      ["/wp-content/uploads/2019/04/team-300x200.jpg", "/media/2019/04/team.jpg"],
    ])
      expect(redirects.get(from), from).toBe(to);
    // Drafts have no public home to send old links to; an unused tag has no archive.
    for (const from of ["/?p=104", "/?p=109", "/2019/06/02/nur-fuer-uns", "/?p=116", "/plakat", "/tag/ungenutzt"])
      expect(redirects.has(from), from).toBe(false);
  });

  describe("served by the Worker", () => {
    let worker: BlogWorker | null = null;
    const served = (): BlogWorker => {
      if (!worker) throw new Error("the Worker did not start");
      return worker;
    };

    beforeAll(async () => {
      worker = await startBlogWorker(ws);
    });

    // Disposed before the next tests read and write the same local D1 again.
    afterAll(async () => {
      await worker?.dispose();
    });

    it("serves every published post and page on its path, and no draft, private or scheduled one", async () => {
      const articles = await listRows("SELECT slug, title, kind, status, published_at FROM articles");
      expect(articles).toHaveLength(17);
      for (const a of articles) {
        const url = `http://blog.test${a.kind === "page" ? "" : "/articles"}/${a.slug}`;
        const res = await served().fetch(url);
        const html = await res.text();
        const visible = a.status === "published" && (a.published_at as number) <= Date.now();
        expect(res.status, url).toBe(visible ? 200 : 404);
        if (visible) expect(html, url).toContain(`<h1>${escapeHtml(String(a.title))}</h1>`);
      }
    });

    it("shows the approved comments, inert, and none that is pending, spam, trash or a pingback", async () => {
      const page = await (await served().fetch("http://blog.test/articles/willkommen")).text();
      for (const shown of ["Jürgen Weiß", "Danke, Jürgen!", "Die dritte Ebene im Faden.", "Mallory"]) expect(page).toContain(escapeHtml(shown));
      for (const hidden of ["Wartet noch auf Freigabe", "Billige", "Im Papierkorb", "Nachbarblog", "Linksammlung"]) expect(page).not.toContain(hidden);
      const bodies = [...page.matchAll(/<div class="comment-body">([\s\S]*?)<\/div>/g)].map((m) => m[1] ?? "");
      expect(bodies).toHaveLength(4);
      for (const body of bodies) expect(findXssProblems(body)).toEqual([]);
    });

    it("answers old URLs with one 301, whatever their query, case or encoding, and an unknown id with 404", async () => {
      for (const [url, method, location] of [
        ["http://blog.test/?utm_source=x&p=101", "GET", "/articles/willkommen"],
        ["http://blog.test/2019/03/14/Willkommen/", "HEAD", "/articles/willkommen"],
        ["http://blog.test/%C3%9Cber-uns/team/", "GET", "/team"],
        ["http://blog.test/category/agentur/kunden/", "GET", "/tags/kunden"],
        ["http://blog.test/category/kunden/", "GET", "/tags/kunden"],
        ["http://blog.test/?cat=3", "GET", "/tags/kunden"],
      ] as const) {
        const res = await served().fetch(url, { method, redirect: "manual" });
        expect([res.status, res.headers.get("Location")], url).toEqual([301, location]);
      }
      expect((await served().fetch("http://blog.test/", { redirect: "manual" })).status).toBe(200);
      expect((await served().fetch("http://blog.test/nothing-here", { redirect: "manual" })).status).toBe(404);
      expect((await served().fetch("http://blog.test/?p=101", { method: "POST", redirect: "manual" })).status).toBe(405);
      expect((await served().fetch("http://blog.test/?p=__proto__", { redirect: "manual" })).status).toBe(404);
    });

    it("answers the old site's public links with 301 to a page that answers", async () => {
      const checked = await expectOldLinksRedirected(served(), await readFile(AGENTUR, "utf8"));
      expect(checked).toEqual(expect.arrayContaining(["/?p=101", "/%c3%bcber-uns/team/", "/category/agentur/kunden/handwerk/", "/tag/k%c3%b6ln/"]));
      // Every stored target answers, except the scheduled post (on its date) and media (served from the site's content folder, not this test's).
      const targets = new Set((await listRows("SELECT to_path FROM redirects")).map((r) => String(r.to_path)));
      for (const to of targets) {
        if (to.startsWith("/articles/sommer-2099") || to.startsWith("/media/")) continue;
        expect((await served().fetch(`http://blog.test${to}`)).status, to).toBe(200);
      }
    });
  });

  it("changes nothing when imported again", async () => {
    const before = await snapshotD1(ws);
    const files = await listContent(ws);
    const texts = await Promise.all(files.map((f) => readContent(f).catch(() => "")));
    const result = await runImport(ws, [AGENTUR, "--media", uploads]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 12 (0 new, 0 replacing a file, 12 unchanged; 5 drafts, 1 scheduled)");
    expect(result.out).toContain("Nothing to publish");
    expect(await snapshotD1(ws)).toEqual(before);
    expect(await listContent(ws)).toEqual(files);
    expect(await Promise.all(files.map((f) => readContent(f).catch(() => "")))).toEqual(texts);
  });

  it("keeps a file edited since the import, also with --yes, and replaces it only with --overwrite-edited", async () => {
    const file = path.join(ws.content, "willkommen.md");
    const original = await readFile(file, "utf8");
    await writeFile(file, original.replace("Gute Arbeit braucht Zeit.", "Von Hand geändert."));
    const before = await snapshotD1(ws);
    const kept = await runImport(ws, [AGENTUR, "--media", uploads, "--yes"]);
    expect(kept.code, kept.err).toBe(0);
    expect(kept.out).toContain('  kept      willkommen.md  post 101 "Willkommen im neuen Blog"');
    expect(kept.out).toContain(`  kept, edited since import: ${path.relative(process.cwd(), file)}`);
    expect(await readFile(file, "utf8")).toContain("Von Hand geändert.");
    // D1 holds the edited file, as a publish would have it; nothing else changed.
    const [edited] = await listRows("SELECT body_md FROM articles WHERE slug = 'willkommen'");
    expect(edited?.body_md).toContain("Von Hand geändert.");
    const [articles, ...rest] = await snapshotD1(ws);
    const [articlesBefore, ...restBefore] = before;
    expect(rest).toEqual(restBefore);
    expect(articles?.length).toBe(articlesBefore?.length);
    const overwritten = await runImport(ws, [AGENTUR, "--media", uploads, "--overwrite-edited"]);
    expect(overwritten.code, overwritten.err).toBe(0);
    expect(await readFile(file, "utf8")).toBe(original);
  }, 300_000);

  it("replaces a file it did not write that has a post's slug only after confirmation", async () => {
    const file = path.join(ws.content, "willkommen.md");
    const original = await readFile(file, "utf8");
    // Without the import's record the file is an editor's own, as one written before the import is.
    await rm(path.join(ws.content, ".wordpress-import.json"));
    await writeFile(file, original.replace("Gute Arbeit braucht Zeit.", "Von Hand geschrieben."));
    const before = await snapshotD1(ws);
    const refused = await runImport(ws, [AGENTUR, "--media", uploads], null);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('  replace   willkommen.md  post 101 "Willkommen im neuen Blog" replaces the existing "Willkommen im neuen Blog"');
    expect(refused.err).toContain(
      "Not replacing 1 existing file in the content folder without confirmation, and there is no terminal to ask: run again with --yes.",
    );
    expect(await readFile(file, "utf8")).toContain("Von Hand geschrieben.");
    expect(await snapshotD1(ws)).toEqual(before);
    const declined = await runImport(ws, [AGENTUR, "--media", uploads], false);
    expect(declined.code).toBe(1);
    expect(await readFile(file, "utf8")).toContain("Von Hand geschrieben.");
    const replaced = await runImport(ws, [AGENTUR, "--media", uploads, "--yes"]);
    expect(replaced.code, replaced.err).toBe(0);
    expect(await readFile(file, "utf8")).toBe(original);
  }, 300_000);
});
