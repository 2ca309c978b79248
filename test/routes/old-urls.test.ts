// Old WordPress URLs against the Worker: every form answers one 301 to the
// page it means now or a real 404, never the home page with 200, never a
// chain, never another host, never a 5xx, whatever the input.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { redirects } from "../../src/db/schema";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";

const HOUR = 3_600_000;
const post = uniqueSlug("alt-post");
const renamed = uniqueSlug("umbenannt");
const page = uniqueSlug("alt-seite");
const future = uniqueSlug("zukunft");
const draft = uniqueSlug("entwurf");
const tag = uniqueSlug("kmu");
const talk = uniqueSlug("diskussion");

async function addRedirects(rows: [string, string][]) {
  await getDb(env.DB)
    .insert(redirects)
    .values(rows.map(([fromPath, toPath]) => ({ fromPath, toPath })))
    .onConflictDoNothing();
}

beforeAll(async () => {
  await insertArticle({ slug: post, tags: [{ slug: tag, name: "KMU" }] });
  await insertArticle({ slug: renamed, aliases: ["vorher-so-genannt"] });
  await insertArticle({ slug: page, kind: "page" });
  // 51 threads: two comment pages of 50, the newest (2) shown at the article's own URL.
  const talkId = (await insertArticle({ slug: talk })).id;
  for (let i = 0; i < 51; i++) await insertComment(talkId, "approved");
  await insertArticle({ slug: future, publishedAt: Date.now() + 365 * 24 * HOUR });
  await insertArticle({ slug: draft, status: "draft" });
  // A month of its own (March 1994) with eleven articles: two pages of it.
  for (let i = 0; i < 11; i++) await insertArticle({ publishedAt: Date.UTC(1994, 2, 10, 12) + i * HOUR });
  await addRedirects([
    ["/2014/03/12/hallo-welt", `/articles/${post}`],
    ["/2014/05/01/diskussion", `/articles/${talk}`],
    ["/?p=12", `/articles/${post}`],
    ["/?p=13", `/articles/${future}`],
    ["/2030/01/01/zukunft", `/articles/${future}`],
    ["/?p=14", `/articles/${draft}`],
    ["/?p=15", "/articles/vorher-so-genannt"],
    ["/?page_id=3", `/${page}`],
    ["/?p=3", `/${page}`],
    ["/ueber-uns", `/${page}`],
    ["/?attachment_id=20", `/articles/${post}`],
    ["/category/eltern/kmu", `/tags/${tag}`],
    ["/category/kmu", `/tags/${tag}`],
    ["/?cat=7", `/tags/${tag}`],
    ["/tag/kmu-tag", `/tags/${tag}`],
    ["/category/uncategorized", "/"],
    ["/author/anna", "/"],
    ["/?author=1", "/"],
    ["/tag/k\u00f6ln", `/tags/${tag}`],
    ["/böse", "//evil.test/x"],
    ["/böse2", "/\\evil.test"],
    ["/böse3", "https://evil.test/"],
  ]);
});

const OK = 200;
// [request, status, Location (or null)]
const CASES: [string, number, string | null][] = [
  // Query forms, on / and /index.php.
  ["/?p=12", 301, `/articles/${post}`],
  ["/index.php?p=12", 301, `/articles/${post}`],
  ["/?p=12&utm_source=x", 301, `/articles/${post}`],
  ["/?p=99999", 404, null],
  ["/?p=99999999999999999999999999999", 404, null],
  ["/?p=abc", 404, null],
  ["/?p=__proto__", 404, null],
  ["/?p=", 404, null],
  ["/?page_id=3", 301, `/${page}`],
  ["/?page_id=4", 404, null],
  ["/?attachment_id=20", 301, `/articles/${post}`],
  ["/?p=20", 301, `/articles/${post}`],
  ["/?p=12&feed=rss2", 301, `/articles/${post}/comments/feed.xml`],
  ["/?p=12&cpage=2", 301, `/articles/${post}#comments`],
  ["/?s=Hallo+Welt", 301, "/search?q=Hallo%20Welt"],
  ["/index.php?s=%3Cscript%3E", 301, "/search?q=%3Cscript%3E"],
  ["/?s=", 301, "/search?q="],
  ["/?s=x&paged=2", 301, "/search?q=x&page=2"],
  ["/?cat=7", 301, `/tags/${tag}`],
  ["/?cat=kmu", 301, `/tags/${tag}`],
  ["/?cat=8", 404, null],
  ["/?cat=constructor", 404, null],
  ["/?category_name=eltern/kmu", 301, `/tags/${tag}`],
  ["/?tag=kmu-tag", 301, `/tags/${tag}`],
  ["/?tag=KMU-TAG", 301, `/tags/${tag}`],
  ["/?tag=__proto__", 404, null],
  ["/?author=1", 301, "/"],
  ["/?author=2", 404, null],
  ["/?author=toString", 404, null],
  ["/?author_name=anna", 301, "/"],
  ["/?feed=rss2", 301, "/feed.xml"],
  ["/?feed=rss", 301, "/feed.xml"],
  ["/?feed=rdf", 301, "/feed.xml"],
  ["/?feed=atom", 301, "/atom.xml"],
  ["/?feed=comments-rss2", 301, "/comments/feed.xml"],
  ["/?feed=comments-atom", 301, "/comments/atom.xml"],
  ["/?feed=hasOwnProperty", 404, null],
  ["/?cat=7&feed=rss2", 301, `/tags/${tag}/feed.xml`],
  ["/?paged=1", 301, "/"],
  ["/?paged=99999", 404, null],
  ["/?m=199403", 301, "/archive/1994/03"],
  ["/?m=19940310", 301, "/archive/1994/03"],
  ["/?m=1994", 301, "/archive#year-1994"],
  ["/?m=199413", 404, null],
  ["/?year=1994&monthnum=3", 301, "/archive/1994/03"],
  // The home's own query is not WordPress's.
  ["/?page=1", OK, null],
  // Date archives, list pages.
  ["/1994/", 301, "/archive#year-1994"],
  ["/1994/03/", 301, "/archive/1994/03"],
  ["/1994/03/10/", 301, "/archive/1994/03"],
  ["/1994/03/page/2/", 301, "/archive/1994/03?page=2"],
  ["/1994/03/page/3/", 404, null],
  ["/1994/04/", 404, null],
  ["/1994/13/", 404, null],
  ["/1994/02/30/", 404, null],
  ["/1993/", 404, null],
  ["/0000/", 404, null],
  ["/1994/03/feed/", 301, "/feed.xml"],
  ["/page/1/", 301, "/"],
  ["/page/2/", 301, "/?page=2"],
  ["/page/99999/", 404, null],
  ["/page/0/", 404, null],
  // Permalinks and their suffixes.
  ["/2014/03/12/hallo-welt/", 301, `/articles/${post}`],
  ["/2014/03/12/hallo-welt", 301, `/articles/${post}`],
  ["/2014/03/12/Hallo-Welt/", 301, `/articles/${post}`],
  ["/2014/03/12/hallo-welt/feed/", 301, `/articles/${post}/comments/feed.xml`],
  ["/2014/03/12/hallo-welt/feed/atom/", 301, `/articles/${post}/comments/atom.xml`],
  ["/2014/03/12/hallo-welt/amp/", 301, `/articles/${post}`],
  // Comment pages: the article's page of that number (the default one at the article's URL), else the article.
  ["/2014/03/12/hallo-welt/comment-page-2/", 301, `/articles/${post}#comments`],
  ["/2014/03/12/hallo-welt/comment-page-1/amp/", 301, `/articles/${post}#comments`],
  ["/2014/05/01/diskussion/comment-page-1/", 301, `/articles/${talk}/comment-page-1#comments`],
  ["/2014/05/01/diskussion/comment-page-2/", 301, `/articles/${talk}#comments`],
  ["/2014/05/01/diskussion/comment-page-3/", 301, `/articles/${talk}#comments`],
  ["/index.php/2014/03/12/hallo-welt/", 301, `/articles/${post}`],
  ["/index.php/2014/03/12/hallo-welt/feed/", 301, `/articles/${post}/comments/feed.xml`],
  ["/index.php", 301, "/"],
  ["/index.php/", 301, "/"],
  ["/index.php/feed/", 301, "/feed.xml"],
  ["/index.php/comments/feed/", 301, "/comments/feed.xml"],
  ["/amp/", 301, "/"],
  ["/2014/03/12/unbekannt/feed/", 404, null],
  ["/2014/03/12/unbekannt/amp/", 404, null],
  ["/ueber-uns/", 301, `/${page}`],
  ["/ueber-uns/feed/", 301, "/comments/feed.xml"],
  ["/ueber-uns/comment-page-2/", 301, `/${page}`],
  // Terms, their feeds and pages; authors.
  ["/category/eltern/kmu/", 301, `/tags/${tag}`],
  ["/category/kmu/", 301, `/tags/${tag}`],
  ["/category/KMU/", 301, `/tags/${tag}`],
  ["/category/kmu/feed/", 301, `/tags/${tag}/feed.xml`],
  ["/category/eltern/kmu/feed/atom/", 301, `/tags/${tag}/atom.xml`],
  ["/category/kmu/page/1/", 301, `/tags/${tag}`],
  ["/category/kmu/page/2/", 404, null],
  ["/category/uncategorized/feed/", 301, "/feed.xml"],
  ["/category/uncategorized/page/2/", 301, "/?page=2"],
  ["/category/uncategorized/page/5000/", 404, null],
  ["/category/gibts-nicht/", 404, null],
  ["/category/__proto__/", 404, null],
  ["/tag/constructor/feed/", 404, null],
  ["/tag/kmu-tag/", 301, `/tags/${tag}`],
  ["/tag/kmu-tag/feed/", 301, `/tags/${tag}/feed.xml`],
  ["/author/anna/", 301, "/"],
  ["/author/anna/feed/", 301, "/feed.xml"],
  ["/author/niemand/", 404, null],
  // Invisible and bidi characters, encoded or not, upper or lower case.
  ["/tag/k%C3%B6ln/", 301, `/tags/${tag}`],
  ["/tag/K%C3%96LN/", 301, `/tags/${tag}`],
  ["/tag/k%E2%80%8B%C3%B6ln/", 301, `/tags/${tag}`],
  ["/tag/k%e2%80%8d%c3%b6%c2%adln/", 301, `/tags/${tag}`],
  ["/tag/%E2%80%8Ek%C3%B6ln%E2%80%8F/", 301, `/tags/${tag}`],
  ["/tag/%E2%80%AAk%C3%B6ln%E2%80%AC/", 301, `/tags/${tag}`],
  ["/tag/%E2%81%A6k%C3%B6ln%E2%81%A9/", 301, `/tags/${tag}`],
  ["/tag/%EF%BB%BFk%C3%B6ln/", 301, `/tags/${tag}`],
  ["/?tag=k%E2%80%8B%C3%B6ln", 301, `/tags/${tag}`],
  // Scheduled, draft, renamed: the redirect follows what a reader may see.
  ["/?p=13", 404, null],
  ["/2030/01/01/zukunft/", 404, null],
  ["/2030/01/01/zukunft/feed/", 404, null],
  ["/?p=14", 404, null],
  ["/?p=15", 301, `/articles/${renamed}`],
  // Malformed and hostile input: 4xx, never a 5xx, never another host.
  ["/%E0%A4%A/", 404, null],
  ["/%/", 404, null],
  ["/?p=%E0%A4%A", 404, null],
  ["/?s=%E0%A4%A", 301, "/search?q=%EF%BF%BD%25A"],
  ["/?cat=%", 404, null],
  ["/böse/", 404, null],
  ["/böse2/", 404, null],
  ["/böse3/", 404, null],
  ["/__proto__/feed/", 404, null],
  ["/constructor/amp/", 404, null],
  [`/page/${"9".repeat(400)}/`, 404, null],
  [`/${"x".repeat(3000)}/feed/`, 404, null],
];

describe("old WordPress URLs", () => {
  it.each(CASES)("%s answers %i %s", async (path, status, location) => {
    const res = await get(path);
    expect(res.status, path).toBe(status);
    if (location === null) expect(res.headers.get("Location")).toBeNull();
    else expect(res.headers.get("Location")).toBe(location);
  });

  it("each Location is one hop: the page it names answers 200 (a comment page or its article)", async () => {
    for (const [path, status, location] of CASES) {
      if (status !== 301 || location === null) continue;
      const target = await get(location.split("#")[0] ?? location);
      expect([200, 301].includes(target.status) ? target.status : `${location}: ${target.status}`, `${path} -> ${location}`).toBe(200);
    }
  });

  it("never sends a reader to another host, whatever the path asks", async () => {
    for (const path of [
      "//evil.test/",
      "/%2F%2Fevil.test/",
      "/%5Cevil.test/",
      "/%2F%5Cevil.test/feed/",
      "/index.php//evil.test/",
      "/?p=12&redirect_to=https://evil.test/",
    ]) {
      const res = await get(path);
      expect(res.status, path).toBeLessThan(500);
      const location = res.headers.get("Location");
      if (location !== null) expect(new URL(location, "https://blog.test").origin, `${path} -> ${location}`).toBe("https://blog.test");
    }
  });

  it("answers HEAD as GET and leaves other methods to the routes", async () => {
    expect((await get("/?p=12", { method: "HEAD" })).headers.get("Location")).toBe(`/articles/${post}`);
    expect((await get("/?p=99999", { method: "HEAD" })).status).toBe(404);
    expect((await get("/?p=12", { method: "DELETE" })).status).toBe(405);
  });

  it("leaves the blog's own pages and their trailing-slash redirect alone", async () => {
    expect((await get("/")).status).toBe(200);
    expect((await get(`/articles/${post}`)).status).toBe(200);
    const slash = await get(`/articles/${post}/`);
    expect(slash.status).toBe(301);
    expect(new URL(slash.headers.get("Location") ?? "").pathname).toBe(`/articles/${post}`);
    expect((await get("/gibt-es-nicht")).status).toBe(404);
  });
});
