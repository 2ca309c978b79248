// Nothing from other hosts before the reader acts: a German site must not
// hand a reader's IP address to a font CDN, an image host or a video
// platform without consent. Chromium opens every type of page the blog
// serves, from content that links and embeds other hosts the ways editors
// and old WordPress posts do (a Markdown image, an <img> in kept HTML, a video
// URL on its own line), and every request the page makes is recorded: any
// that leaves the blog's own origin fails the test (it is aborted, so no
// network is needed).
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryD1 } from "../../tools/lib/wrangler";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { TEST_IMAGE, type TestArticle, writeSiteContent } from "./support/site-content";

const ARTICLE: TestArticle = {
  slug: "fremde-inhalte",
  title: "Fremde Inhalte",
  lang: "de",
  date: "2024-05-02",
  tags: ["Datenschutz"],
  body: [
    `![Unser Bild](/${TEST_IMAGE.path})`,
    "",
    "![Ein Bild von anderswo](https://images.example.net/foto.jpg)",
    "",
    '<p><img src="https://old-blog.example.com/wp-content/uploads/2019/05/plakat.png" alt="Plakat" width="300" height="200"></p>',
    "",
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "",
    "Ein [Link zu anderswo](https://example.org/seite) lädt erst beim Klick.",
  ].join("\n"),
};
const PRIVACY: TestArticle = {
  slug: "datenschutz",
  title: "Datenschutzerklärung",
  page: { nav: "footer", role: "privacy" },
  body: "## Verantwortlicher\n\nMuster GmbH\n\n<!-- blog:processing -->",
};
const ENGLISH: TestArticle = {
  slug: "outside-content",
  title: "Outside content",
  lang: "en",
  date: "2024-04-01",
  body: "![Elsewhere](https://images.example.net/en.jpg)",
};

const COMMENT_ID = "c0000000-0000-4000-8000-00000000a001";

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;
let context: BrowserContext | undefined;

beforeAll(async () => {
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-hosts-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [ARTICLE, PRIVACY, ENGLISH]);
  chromium = await launchChromium();
  await prepareDatabase(persistTo, logDir, contentDir);
  // An approved comment whose author left a website: a link, never a request.
  await queryD1(
    { remote: false, persistTo },
    `INSERT INTO comments (id, article_id, author, email, url, body_raw, body_html, status, created_at) VALUES ('${COMMENT_ID}', (SELECT id FROM articles WHERE slug = '${ARTICLE.slug}'), 'Eva', 'eva@example.org', 'https://eva.example.net/', 'Danke!', '<p>Danke!</p>', 'approved', ${Date.now() - 60_000});`,
  );
  server = await startDevServer({ persistTo, contentDir, logDir, readyPath: `/articles/${ARTICLE.slug}`, vars: { EMAIL_FROM: "blog@agentur.example" } });
  context = await chromium.browser.newContext();
}, 400_000);

afterAll(async () => {
  await tearDownRig({ contexts: context ? [context] : [], chromium, server, tmp });
}, 60_000);

// Every kind of page a reader (and the editor at the login) can open.
const PAGES = [
  "/",
  "/?page=1",
  `/articles/${ARTICLE.slug}`,
  `/articles/${ARTICLE.slug}/comment-page-1`,
  `/articles/${ENGLISH.slug}`,
  `/comments/${COMMENT_ID}`,
  "/tags",
  "/tags/datenschutz",
  "/archive",
  "/archive/2024/05",
  "/search?q=Inhalte",
  `/${PRIVACY.slug}`,
  "/gibt-es-nicht",
  "/admin/login",
];

describe("no page requests anything from another host before the reader acts", () => {
  it.each(PAGES)("%s", async (pagePath) => {
    if (!server || !context) throw new Error("the rig did not start");
    const origin = new URL(server.origin).origin;
    const own: string[] = [];
    const outside: string[] = [];
    const page = await context.newPage();
    await page.route("**/*", async (route) => {
      const url = route.request().url();
      if (new URL(url).origin === origin) {
        own.push(url);
        await route.continue();
      } else {
        outside.push(`${route.request().resourceType()} ${url}`);
        await route.abort();
      }
    });
    const response = await page.goto(`${server.origin}${pagePath}`, { waitUntil: "load" });
    // Late requests (lazy images scrolled into view, scripts run after load) count too.
    await page.evaluate("window.scrollTo(0, document.body.scrollHeight)");
    await page.waitForLoadState("networkidle");
    await page.close();
    expect(response?.status(), pagePath).toBeLessThan(pagePath === "/gibt-es-nicht" ? 500 : 400);
    expect(outside, `${pagePath} requested another host`).toEqual([]);
    // The page itself and its own stylesheet were loaded through the recorder: it saw the page's requests.
    expect(
      own.some((url) => url.endsWith(".css") || url.includes("/assets/")),
      `${pagePath}: ${own.join(", ")}`,
    ).toBe(true);
  });
});
