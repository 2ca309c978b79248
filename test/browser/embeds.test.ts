// Click to load, in Chromium, on the Worker under `wrangler dev` with its own
// content and D1: an article with a YouTube and a Vimeo embed makes no request
// to any host but the site's own until the reader clicks; the click puts the
// player's iframe (youtube-nocookie.com for YouTube) in the link's place, and
// the site's CSP lets it load. Every request to another host is caught with
// page routing: the player is answered by a stand-in, so no network is needed.
// Without JavaScript the embed is a plain link to the video.
import { mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { TEST_IMAGE, writeSiteContent } from "./support/site-content";

const SLUG = "ein-video-aus-der-werkstatt";
const ARTICLE_PATH = `/articles/${SLUG}`;
const YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
const BODY = [
  "Vor dem Video.",
  "",
  YOUTUBE,
  "",
  "https://vimeo.com/76979871",
  "",
  `![Eins](/${TEST_IMAGE.path} "Erstes")`,
  `![Zwei](/${TEST_IMAGE.path})`,
  "",
  "Nach dem Video[^1].",
  "",
  "[^1]: Eine Fußnote.",
].join("\n");

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-embeds-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [
    { slug: SLUG, title: "Ein Video aus der Werkstatt", lang: "de", date: "2024-05-02", body: BODY, comments: "closed" },
  ]);
  chromium = await launchChromium();
  await prepareDatabase(persistTo, logDir, contentDir);
  server = await startDevServer({ persistTo, contentDir, logDir, readyPath: ARTICLE_PATH });
}, 180_000);

afterAll(async () => {
  await tearDownRig({ contexts, chromium, server, tmp });
}, 60_000);

/** A context whose every request is recorded; any to another host is answered by a stand-in player, never sent. */
async function recordingContext(javaScriptEnabled: boolean) {
  if (!chromium || !server) throw new Error("not started");
  const context = await chromium.browser.newContext({ locale: "de-DE", javaScriptEnabled });
  contexts.push(context);
  context.setDefaultTimeout(15_000);
  const origin = new URL(server.origin).host;
  const foreign: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (new URL(url).host === origin) return route.continue();
    foreign.push(url);
    return route.fulfill({ status: 200, contentType: "text/html", body: "<!DOCTYPE html><title>Player</title><p id=player>Player</p>" });
  });
  return { context, foreign };
}

describe("click-to-load embeds", () => {
  it("request nothing from another host until a click, then frame the nocookie player", async () => {
    if (!server) throw new Error("not started");
    const { context, foreign } = await recordingContext(true);
    const page = await context.newPage();
    expect((await page.goto(`${server.origin}${ARTICLE_PATH}`, { waitUntil: "networkidle" }))?.status()).toBe(200);
    expect(foreign).toEqual([]);
    expect(await page.locator("iframe").count()).toBe(0);
    const links = page.locator("a.embed-link");
    expect(await links.count()).toBe(2);
    expect(await links.first().locator(".embed-play").innerText()).toBe("Video von YouTube laden");
    expect(await page.locator("figcaption.embed-notice").first().innerText()).toContain("Beim Abspielen werden Daten an YouTube übertragen.");

    await links.first().click();
    const frame = page.locator("figure.embed iframe");
    await frame.waitFor();
    expect(await frame.getAttribute("src")).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
    expect(page.url()).toBe(`${server.origin}${ARTICLE_PATH}`);
    // The CSP lets the player load: its stand-in answers inside the frame.
    await page.frameLocator("figure.embed iframe").locator("#player").waitFor();
    expect(foreign).toEqual(["https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1"]);
    // The Vimeo embed is still a link, and nothing was asked of Vimeo.
    expect(await page.locator("a.embed-link").count()).toBe(1);
    expect(foreign.some((url) => url.includes("vimeo"))).toBe(false);
  });

  it("show a plain link to the video without JavaScript", async () => {
    if (!server) throw new Error("not started");
    const { context, foreign } = await recordingContext(false);
    const page = await context.newPage();
    await page.goto(`${server.origin}${ARTICLE_PATH}`, { waitUntil: "networkidle" });
    const link = page.locator("a.embed-link").first();
    expect(await link.getAttribute("href")).toBe(YOUTUBE);
    expect(await page.locator("iframe").count()).toBe(0);
    expect(foreign).toEqual([]);
  });
});
