// Every old URL form of a WordPress site, walked against the Worker after
// `npm run import:wordpress` brought the site in end to end (real wrangler,
// a local D1): each answers one 301 to the page it means now, which answers
// 200, or a real 404; never the home page with 200, never another host.
// The export is test/fixtures/wordpress/permalinks-1.2.xml.
import { rm } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BlogWorker, ROOT, runImport, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const EXPORT = path.join(ROOT, "test/fixtures/wordpress/permalinks-1.2.xml");
const ORIGIN = "http://blog.test";

let ws: Workspace;
let worker: BlogWorker | null = null;
const served = (): BlogWorker => {
  if (!worker) throw new Error("the Worker did not start");
  return worker;
};

beforeAll(async () => {
  ws = await createWorkspace("wordpress-urls-");
});

afterAll(async () => {
  await worker?.dispose();
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

const HALLO = "/articles/hallo-welt";
// [old URL, status, Location]
const CASES: [string, 301 | 404, string | null][] = [
  // ?p, ?page_id, ?attachment_id, on / and /index.php; unknown, scheduled and draft ids are 404.
  ["/?p=101", 301, HALLO],
  ["/index.php?p=101", 301, HALLO],
  ["/?p=101&redirect_to=//evil.example", 301, HALLO],
  ["/?p=999999", 404, null],
  ["/?p=18446744073709551616", 404, null],
  ["/?page_id=201", 301, "/ueber-uns"],
  ["/?p=201", 301, "/ueber-uns"],
  ["/?attachment_id=301", 301, HALLO],
  ["/?p=103", 404, null],
  ["/2030/01/15/zukunft/", 404, null],
  ["/?p=104", 404, null],
  // Search, terms, authors, feeds as queries.
  ["/?s=KMU+Tipps", 301, "/search?q=KMU%20Tipps"],
  ["/index.php?s=digital", 301, "/search?q=digital"],
  ["/?tag=digital", 301, "/tags/digital"],
  ["/?tag=unbekannt", 404, null],
  ["/?cat=4", 301, "/tags/kmu"],
  ["/?cat=kmu", 301, "/tags/kmu"],
  ["/?cat=3", 301, "/tags/ratgeber"],
  ["/?cat=1", 301, "/"],
  ["/?cat=99", 404, null],
  ["/?author=1", 301, "/"],
  ["/?author=2", 301, "/"],
  ["/?author=99", 404, null],
  ["/?feed=rss2", 301, "/feed.xml"],
  ["/?feed=atom", 301, "/atom.xml"],
  ["/?feed=rdf", 301, "/feed.xml"],
  ["/?feed=comments-rss2", 301, "/comments/feed.xml"],
  ["/?cat=4&feed=rss2", 301, "/tags/kmu/feed.xml"],
  // Date archives and list pages.
  ["/2014/", 301, "/archive#year-2014"],
  ["/2014/03/", 301, "/archive/2014/03"],
  ["/2014/03/12/", 301, "/archive/2014/03"],
  ["/2014/03/page/2/", 404, null],
  ["/2013/", 404, null],
  ["/2014/02/", 404, null],
  ["/?m=201403", 301, "/archive/2014/03"],
  ["/page/2/", 301, "/?page=2"],
  ["/page/3/", 404, null],
  ["/?paged=2", 301, "/?page=2"],
  // Feeds of the site, of terms, authors and posts.
  ["/feed/", 301, "/feed.xml"],
  ["/feed/atom/", 301, "/atom.xml"],
  ["/comments/feed/", 301, "/comments/feed.xml"],
  ["/category/kmu/feed/", 301, "/tags/kmu/feed.xml"],
  ["/category/ratgeber/kmu/feed/", 301, "/tags/kmu/feed.xml"],
  ["/tag/digital/feed/", 301, "/tags/digital/feed.xml"],
  ["/author/anna/feed/", 301, "/feed.xml"],
  ["/2014/03/12/hallo-welt/feed/", 301, `${HALLO}/comments/feed.xml`],
  ["/2014/03/12/hallo-welt/feed/atom/", 301, `${HALLO}/comments/atom.xml`],
  // Permalinks and WordPress's suffixes on them.
  ["/2014/03/12/hallo-welt/", 301, HALLO],
  ["/2014/03/12/hallo-welt/amp/", 301, HALLO],
  ["/index.php/2014/03/12/hallo-welt/", 301, HALLO],
  ["/2014/03/12/hallo-welt/comment-page-1/", 301, `${HALLO}#comments`],
  ["/2014/03/12/hallo-welt/bild/", 301, HALLO],
  ["/2014/03/12/gibt-es-nicht/amp/", 404, null],
  ["/%c3%bcber-uns/", 301, "/ueber-uns"],
  ["/%C3%9Cber-uns/", 301, "/ueber-uns"],
  // Terms: the child by its path and by its own slug; slugs with invisible characters, encoded or not, any case.
  ["/category/ratgeber/", 301, "/tags/ratgeber"],
  ["/category/ratgeber/kmu/", 301, "/tags/kmu"],
  ["/category/kmu/", 301, "/tags/kmu"],
  ["/category/KMU/", 301, "/tags/kmu"],
  ["/category/uncategorized/", 301, "/"],
  ["/category/gibt-es-nicht/", 404, null],
  ["/tag/k%c3%b6ln%e2%80%8b/", 301, "/tags/koeln"],
  ["/tag/k%c3%b6ln/", 301, "/tags/koeln"],
  ["/tag/K%C3%96LN%E2%80%8E/", 301, "/tags/koeln"],
  ["/tag/%E2%81%A6k%C3%B6ln%E2%81%A9/", 301, "/tags/koeln"],
  ["/tag/köln\u00ad/", 301, "/tags/koeln"],
  // Authors: by login and by nicename.
  ["/author/anna/", 301, "/"],
  ["/author/ben-bauer/", 301, "/"],
  ["/author/niemand/", 404, null],
];

describe("the old URLs of an imported WordPress site", () => {
  it("imports the export into the local D1", async () => {
    const result = await runImport(ws, [EXPORT]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("Posts: 13 (13 new, 0 replacing a file, 0 unchanged; 1 drafts, 1 scheduled)");
    worker = await startBlogWorker(ws);
  });

  it.each(CASES)("%s answers %i %s", async (oldUrl, status, location) => {
    const res = await served().fetch(`${ORIGIN}${oldUrl}`, { redirect: "manual" });
    expect(res.status, oldUrl).toBe(status);
    expect(res.headers.get("Location"), oldUrl).toBe(location);
    if (location === null) return;
    // One hop: the page named answers 200 on this site.
    const target = new URL(location, ORIGIN);
    expect(target.origin).toBe(ORIGIN);
    expect((await served().fetch(target.href, { redirect: "manual" })).status, `${oldUrl} -> ${location}`).toBe(200);
  });
});
