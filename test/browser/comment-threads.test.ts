// Imported WordPress threads go ten deep; on a 390 px phone every level's
// indentation used to squeeze the text column to a few pixels. In Chromium, on
// the Worker under `wrangler dev` with its own content and D1: every comment of
// a ten-deep thread keeps a text column of at least 180 px, the page does not
// scroll sideways, and a deep reply's "Antwort an" link leads to its parent.
import { mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryD1 } from "../../tools/lib/wrangler";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { COMMENTABLE_ARTICLE, writeSiteContent } from "./support/site-content";

const ARTICLE_PATH = `/articles/${COMMENTABLE_ARTICLE.slug}`;
const RESULTS = path.resolve(import.meta.dirname, "../../bench/results");
const DEPTH = 10;
const ids = Array.from({ length: DEPTH }, (_, i) => `c0000000-0000-4000-8000-0000000000${String(i + 10)}`);
const MIN_TEXT_WIDTH = 180;

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;

// Run in the page (a string: the page's DOM is not in this project's types).
const MEASURE = `(() => ({
  page: document.documentElement.scrollWidth,
  bodies: [...document.querySelectorAll("#comments li.comment")].map((li) => ({
    id: li.id,
    width: li.querySelector(":scope > article > .comment-body").getBoundingClientRect().width,
  })),
}))()`;

beforeAll(async () => {
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-threads-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [COMMENTABLE_ARTICLE]);
  chromium = await launchChromium();
  await prepareDatabase(persistTo, logDir, contentDir);
  const now = Date.now();
  const text = "Ein Kommentar, wie er in alten Diskussionen steht: mehrere Sätze, die auf dem Telefon über einige Zeilen laufen.";
  const rows = ids.map(
    (id, i) =>
      `('${id}', (SELECT id FROM articles WHERE slug = '${COMMENTABLE_ARTICLE.slug}'), ${i === 0 ? "NULL" : `'${ids[i - 1]}'`}, 'Person ${i + 1}', 'person${i}@example.org', '${text}', '<p>${text}</p>', 'approved', ${now - (DEPTH - i) * 60_000})`,
  );
  await queryD1(
    { remote: false, persistTo },
    `INSERT INTO comments (id, article_id, parent_id, author, email, body_raw, body_html, status, created_at) VALUES ${rows.join(", ")};`,
  );
  server = await startDevServer({ persistTo, contentDir, logDir, readyPath: ARTICLE_PATH });
  await mkdir(RESULTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await tearDownRig({ chromium, server, tmp });
}, 60_000);

describe("a ten-deep comment thread on a 390 px phone", () => {
  it(`keeps every comment's text at least ${MIN_TEXT_WIDTH} px wide, and a deep reply links to the comment it answers`, async () => {
    if (!chromium || !server) throw new Error("not started");
    const context = await chromium.browser.newContext({ locale: "de-DE", viewport: { width: 390, height: 844 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    expect((await page.goto(`${server.origin}${ARTICLE_PATH}`))?.status()).toBe(200);
    const measured = (await page.evaluate(MEASURE)) as { page: number; bodies: { id: string; width: number }[] };
    await page.locator("#comments").screenshot({ path: path.join(RESULTS, "comment-thread-390.png") });
    expect(measured.bodies.map((b) => b.id)).toEqual(ids.map((id) => `comment-${id}`));
    const narrowest = Math.min(...measured.bodies.map((b) => b.width));
    console.log(`text column at 390 px: ${measured.bodies.map((b) => Math.round(b.width)).join(", ")} px`);
    expect(narrowest, JSON.stringify(measured.bodies)).toBeGreaterThanOrEqual(MIN_TEXT_WIDTH);
    expect(measured.page, "the page scrolls sideways").toBeLessThanOrEqual(390);

    // The tenth comment names the ninth and leads to it.
    const answers = page.locator(`#comment-${ids[9]} .comment-answers a`);
    expect(await answers.innerText()).toBe("Antwort an Person 9");
    await answers.click();
    await page.waitForURL(`**${ARTICLE_PATH}#comment-${ids[8]}`);
    expect(await page.locator(`#comment-${ids[4]} .comment-answers`).count()).toBe(0);
    await context.close();
  });
});
