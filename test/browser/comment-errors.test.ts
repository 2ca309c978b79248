// A failed comment submission, as a reader meets it in Chromium: the answer opens at the error summary, focused and in
// view, with the text kept; the minimum wait counts from when the form was
// first served, and the number of seconds the message names is true: waiting
// that long and sending the same form again is accepted.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { COMMENTABLE_ARTICLE, writeSiteContent } from "./support/site-content";

const ARTICLE_PATH = `/articles/${COMMENTABLE_ARTICLE.slug}`;
const MIN_SECONDS = 6;

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;

beforeAll(async () => {
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-errors-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [COMMENTABLE_ARTICLE]);
  const [launched] = await Promise.all([
    launchChromium(),
    (async () => {
      await prepareDatabase(persistTo, logDir, contentDir);
      server = await startDevServer({ persistTo, contentDir, logDir, readyPath: ARTICLE_PATH, vars: { COMMENT_MIN_SECONDS: String(MIN_SECONDS) } });
    })(),
  ]);
  chromium = launched;
}, 180_000);

afterAll(async () => {
  await tearDownRig({ chromium, server, tmp });
}, 60_000);

// Run in the page (a string: the page's DOM is not in this project's types).
const FOCUSED_SUMMARY = `(() => {
  const el = document.activeElement;
  const box = el.getBoundingClientRect();
  return { id: el.id, text: el.textContent, top: box.top, bottom: box.bottom, h: window.innerHeight, scroll: window.scrollY, inView: box.top >= 0 && box.bottom <= window.innerHeight };
})()`;

async function openArticle(width: number): Promise<Page> {
  if (!chromium || !server) throw new Error("not started");
  const context = await chromium.browser.newContext({ locale: "de-DE", viewport: { width, height: 800 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const res = await page.goto(`${server.origin}${ARTICLE_PATH}`);
  expect(res?.status()).toBe(200);
  return page;
}

async function submit(page: Page): Promise<number> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === "POST"),
    page.getByRole("button", { name: "Kommentar abschicken" }).click(),
  ]);
  await page.waitForLoadState("load");
  return response.status();
}

describe("a failed comment submission in Chromium", () => {
  it.each([1280, 390])("opens at the focused error summary, text kept, at %i px", async (width) => {
    const page = await openArticle(width);
    // The browser accepts "leserin@example" (type=email); the server wants a domain with a dot.
    await page.locator("textarea#comment").fill(`Mit halber E-Mail-Adresse, ${width} px.`);
    await page.locator("input#author").fill("Leserin");
    await page.locator("input#email").fill("leserin@example");
    expect(await submit(page)).toBe(422);
    const focused = (await page.evaluate(FOCUSED_SUMMARY)) as { id: string; text: string; inView: boolean };
    expect(focused.id).toBe("comment-form-errors");
    expect(focused.inView, `the summary is in view without scrolling: ${JSON.stringify(focused)}`).toBe(true);
    expect(await page.locator("textarea#comment").inputValue()).toBe(`Mit halber E-Mail-Adresse, ${width} px.`);
    await page.context().close();
  });

  it("names a true wait: after that many seconds the same form is accepted", async () => {
    const page = await openArticle(1280);
    await page.locator("textarea#comment").fill("Sehr schnell geschrieben.");
    await page.locator("input#author").fill("Eilige Leserin");
    await page.locator("input#email").fill("eilig@example.org");
    expect(await submit(page)).toBe(429);
    const focused = (await page.evaluate(FOCUSED_SUMMARY)) as { id: string; text: string; inView: boolean };
    expect(focused.id).toBe("comment-form-errors");
    const seconds = Number(/Bitte warte (\d+) Sekunden/.exec(focused.text)?.[1]);
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(MIN_SECONDS);
    // The re-rendered form keeps the first token, so the clock did not start over.
    await delay(seconds * 1000 + 300);
    expect(await submit(page)).toBe(303);
    // Taken: the page shows its author the comment's place (a note while the queue consumer stores it).
    await page.waitForURL((url) => url.searchParams.has("unapproved"));
    await page.locator(`#comment-${new URL(page.url()).searchParams.get("unapproved")}`).waitFor();
    await page.context().close();
  });
});
