// End to end in a real browser: a reader comments on a German article of its own,
// the comment waits for the editor, the editor approves it in /admin, and then
// every reader sees it. The Worker runs under `wrangler dev` (workerd, local
// D1 and Queues) exactly as `npm start` serves it; Chromium is Debian's.
// Our pages carry no JavaScript: every step is a link, a plain form POST and
// a redirect. axe-core checks the article and the admin page on the way.
import { randomUUID } from "node:crypto";
import { mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AxeReport, formatViolations, runAxe } from "./support/axe";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, E2E_SECRETS, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { COMMENTABLE_ARTICLE, writeSiteContent } from "./support/site-content";

const SLUG = COMMENTABLE_ARTICLE.slug;
const ARTICLE_PATH = `/articles/${SLUG}`;
const ADMIN_TOKEN = E2E_SECRETS.ADMIN_TOKEN;
const PENDING_NOTICE = "Dein Kommentar wartet auf Freischaltung.";
const SCREENSHOT_DIR = path.join(import.meta.dirname, "screenshots");

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;
const timings: string[] = [];
const contexts: BrowserContext[] = [];
/** What went wrong in the pages of the contexts that enforce our CSP: refusals, errors, resources that did not load. */
const pageProblems: string[] = [];

function since(start: number): string {
  return `${((performance.now() - start) / 1000).toFixed(1)} s`;
}

function browser(): Browser {
  if (!chromium) throw new Error("Chromium was not launched");
  return chromium.browser;
}

function origin(): string {
  if (!server) throw new Error("wrangler dev was not started");
  return server.origin;
}

/** Runs one step of the story; its time goes into the summary, its failure carries wrangler's output. */
async function step<T>(name: string, fn: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    const result = await fn();
    timings.push(`${name}: ${since(start)}`);
    return result;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const log = server?.log().slice(-4_000) ?? "(not started)";
    throw new Error(`step "${name}" failed: ${message}\n--- wrangler dev output (last lines) ---\n${log}`, { cause: error });
  }
}

/** A fresh browser profile's context (no cookies, no cache) that asks for German. */
async function newContext(label: string, opts: { bypassCSP?: boolean } = {}): Promise<BrowserContext> {
  const context = await browser().newContext({
    locale: "de-DE",
    timezoneId: "Europe/Berlin",
    viewport: { width: 1280, height: 900 },
    bypassCSP: opts.bypassCSP ?? false,
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  if (!opts.bypassCSP) {
    // Pages answer with their own status (the steps check it); the browser's
    // automatic /favicon.ico gets the site's 404 page. Everything else a page
    // loads (the stylesheet, images) must load, and nothing may be refused.
    const expected = (url: string) => new URL(url).pathname === "/favicon.ico";
    context.on("console", (msg) => {
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource"))
        pageProblems.push(`${label}: console error on ${msg.page()?.url()}: ${msg.text()}`);
    });
    context.on("response", (response) => {
      const request = response.request();
      if (request.resourceType() !== "document" && response.status() >= 400 && !expected(request.url()))
        pageProblems.push(`${label}: ${request.resourceType()} ${request.url()} answered ${response.status()}`);
    });
    context.on("requestfailed", (request) => {
      // ERR_ABORTED: the page moved on (a click, a reload) before a request finished.
      if (!expected(request.url()) && request.failure()?.errorText !== "net::ERR_ABORTED")
        pageProblems.push(`${label}: ${request.resourceType()} ${request.url()} failed: ${request.failure()?.errorText}`);
    });
    context.on("weberror", (err) => pageProblems.push(`${label}: page error: ${err.error().message}`));
  }
  contexts.push(context);
  return context;
}

/** Polls `fn` until it returns something other than undefined, at most `timeoutMs`. */
async function eventually<T>(what: string, timeoutMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await fn();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await delay(250);
  }
  throw new Error(`${what}: not within ${timeoutMs / 1000} s${lastError ? ` (last error: ${String(lastError)})` : ""}`);
}

interface ApiComment {
  id: string;
  status: string;
  author: string;
  email: string;
  url: string | null;
  comment: string;
  reasons: unknown[];
  article: { slug: string };
}

async function apiComments(status: string): Promise<ApiComment[]> {
  const response = await fetch(`${origin()}/admin/api/comments?status=${status}`, {
    headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
    signal: AbortSignal.timeout(5_000),
  });
  if (response.status !== 200) throw new Error(`GET /admin/api/comments answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { comments: ApiComment[] }).comments;
}

/** The login form at /admin, filled in and sent; resolves on the dashboard. */
async function logInAsEditor(page: Page): Promise<void> {
  const first = await page.goto(`${origin()}/admin`);
  expect(first?.status(), "/admin without a session shows the login form with 401").toBe(401);
  await page.getByRole("heading", { name: "Moderation", level: 1 }).waitFor();
  await page.getByLabel("Admin-Token", { exact: true }).fill(ADMIN_TOKEN);
  const [dashboard] = await Promise.all([
    page.waitForResponse((r) => new URL(r.url()).pathname === "/admin" && r.request().method() === "GET"),
    page.getByRole("button", { name: "Anmelden", exact: true }).click(),
  ]);
  expect(dashboard.status(), "the dashboard after logging in").toBe(200);
  await page.waitForLoadState("load");
  await page.getByRole("button", { name: "Abmelden", exact: true }).waitFor();
}

beforeAll(async () => {
  const start = performance.now();
  // Fail at once, with the way to fix it, before anything is started.
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-e2e-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [COMMENTABLE_ARTICLE]);
  const [browserLaunch, serverStart] = await Promise.allSettled([
    launchChromium().then((launched) => {
      chromium = launched;
      timings.push(`launch Chromium: ${since(start)}`);
    }),
    (async () => {
      await prepareDatabase(persistTo, logDir, contentDir);
      timings.push(`migrations + npm run publish: ${since(start)}`);
      const serverStartedAt = performance.now();
      server = await startDevServer({ persistTo, contentDir, logDir, readyPath: ARTICLE_PATH });
      timings.push(`wrangler dev ready: ${since(serverStartedAt)}`);
    })(),
  ]);
  for (const result of [browserLaunch, serverStart]) if (result.status === "rejected") throw result.reason;
  timings.push(`setup total: ${since(start)}`);
}, 180_000);

afterAll(async () => {
  const start = performance.now();
  await tearDownRig({ contexts, chromium, server, tmp });
  timings.push(`teardown: ${since(start)}`);
  if (chromium) console.log(`Chromium ${chromium.version} (${chromium.executablePath}), fresh profile ${chromium.userDataDir}`);
  console.log(`browser test timings:\n  ${timings.join("\n  ")}`);
}, 60_000);

describe("comments in a real browser", () => {
  it("a reader's comment waits for the editor, who approves it in /admin; then every reader sees it", async () => {
    const start = performance.now();
    const stamp = randomUUID().slice(0, 8);
    const comment = {
      text: `Danke für den Überblick, gerade für kleine Firmen in der Region. Test ${stamp}`,
      author: `Leserin ${stamp}`,
      email: `leserin-${stamp}@example.org`,
      url: `https://example.org/leserin-${stamp}`,
    };
    const articleUrl = `${origin()}${ARTICLE_PATH}`;
    const axeReports: Record<string, AxeReport> = {};
    await mkdir(SCREENSHOT_DIR, { recursive: true });
    const screenshots = { article: path.join(SCREENSHOT_DIR, "article.png"), admin: path.join(SCREENSHOT_DIR, "admin.png") };

    const readerA = await (await newContext("reader A")).newPage();
    await step("1. a reader submits the comment form", async () => {
      const page = readerA;
      expect((await page.goto(articleUrl))?.status()).toBe(200);
      await page.getByRole("textbox", { name: "Kommentar", exact: true }).fill(comment.text);
      await page.getByRole("textbox", { name: "Name", exact: true }).fill(comment.author);
      await page.getByRole("textbox", { name: "E-Mail", exact: true }).fill(comment.email);
      await page.getByRole("textbox", { name: "Website", exact: true }).fill(comment.url);
      await page.getByRole("checkbox", { name: /^Meinen Namen/ }).check();
      const [post] = await Promise.all([
        page.waitForRequest((r) => r.method() === "POST"),
        page.waitForURL((url) => url.searchParams.has("unapproved")),
        page.getByRole("button", { name: "Kommentar abschicken", exact: true }).click(),
      ]);
      // A plain form POST (the page's only script fills saved details), answered with a redirect to the article.
      expect(new URL(post.url()).pathname).toBe(`${ARTICLE_PATH}/comments`);
      expect(post.headers()["content-type"]).toMatch(/^application\/x-www-form-urlencoded/);
      expect((await post.response())?.status()).toBe(303);
      const landed = new URL(page.url());
      const own = landed.searchParams.get("unapproved");
      expect([landed.pathname, landed.hash]).toEqual([ARTICLE_PATH, `#comment-${own}`]);
      // As WordPress: its author sees the comment in place, marked as waiting (until the consumer
      // stored it, a note that it is being processed; a reload then shows it).
      const mine = page.locator(`#comment-${own}`);
      await eventually("the author's own waiting comment", 30_000, async () => {
        if ((await mine.locator(".comment-awaiting-moderation").count()) === 1) return true;
        await page.reload();
        return undefined;
      });
      expect((await mine.locator(".comment-awaiting-moderation").innerText()).trim()).toBe(PENDING_NOTICE);
      expect(await mine.getByText(comment.text).count()).toBe(1);
      expect(await mine.getByRole("link", { name: comment.author }).count(), "a waiting comment links nowhere").toBe(0);
    });

    await step("1b. the saved details fill the form on the next visit (by the page's script)", async () => {
      expect((await readerA.goto(articleUrl))?.status()).toBe(200);
      await expect.poll(() => readerA.getByRole("textbox", { name: "Name", exact: true }).inputValue()).toBe(comment.author);
      expect(await readerA.getByRole("textbox", { name: "E-Mail", exact: true }).inputValue()).toBe(comment.email);
      expect(await readerA.getByRole("textbox", { name: "Website", exact: true }).inputValue()).toBe(comment.url);
      expect(await readerA.getByRole("checkbox", { name: /^Meinen Namen/ }).isChecked()).toBe(true);
      expect(await readerA.getByRole("textbox", { name: "Kommentar", exact: true }).inputValue()).toBe("");
    });

    const readerB = await (await newContext("reader B")).newPage();
    await step("2. another reader does not see it", async () => {
      expect((await readerB.goto(articleUrl))?.status()).toBe(200);
      await readerB.locator("#comments").waitFor({ state: "visible" });
      expect(await readerB.getByText(comment.text).count()).toBe(0);
      expect(await readerB.content()).not.toContain(stamp);
      expect(await readerB.getByText(PENDING_NOTICE).count()).toBe(0);
      expect(await readerB.locator("#comments").innerText()).toContain("Noch keine Kommentare.");
    });

    const stored = await step("3. the queue consumer stores it as pending", () =>
      eventually("the comment in GET /admin/api/comments?status=pending", 30_000, async () =>
        (await apiComments("pending")).find((c) => c.comment === comment.text),
      ),
    );
    expect(stored).toMatchObject({ status: "pending", author: comment.author, email: comment.email, url: comment.url, reasons: [], article: { slug: SLUG } });

    const editor = await (await newContext("editor")).newPage();
    await step("4a. the editor logs in and sees the pending comment with its reason", async () => {
      await logInAsEditor(editor);
      const row = editor.locator("tr", { hasText: comment.text });
      await row.waitFor({ state: "visible" });
      expect(await row.getAttribute("id")).toBe(`c-${stored.id}`);
      const text = await row.innerText();
      expect(text).toContain(comment.author);
      expect(text).toContain("Ausstehend");
      expect(text).toContain("Warum angehalten");
      expect(text).toContain("Alle Kommentare warten auf Freigabe");
      await editor.screenshot({ path: screenshots.admin, fullPage: true });
    });

    // axe needs script in the page, which our CSP forbids: a separate context that bypasses it.
    const axePage = await (await newContext("axe", { bypassCSP: true })).newPage();
    await step("6a. axe on the admin page (logged in, a comment pending)", async () => {
      await logInAsEditor(axePage);
      await axePage.locator("tr", { hasText: comment.text }).waitFor({ state: "visible" });
      axeReports["admin page"] = await runAxe(axePage);
    });

    await step("4b. the editor approves it", async () => {
      const row = editor.locator(`#c-${stored.id}`);
      const [after] = await Promise.all([
        editor.waitForResponse((r) => r.request().method() === "GET" && new URL(r.url()).searchParams.get("done") === "1"),
        row.getByRole("button", { name: "Freigeben", exact: true }).click(),
      ]);
      expect(after.status()).toBe(200);
      await editor.waitForLoadState("load");
      expect(await editor.getByRole("status").innerText()).toContain("Erledigt: 1 Kommentar(e) geändert.");
      expect(await editor.locator(`#c-${stored.id}`).count(), "the approved comment leaves the pending list").toBe(0);
      expect((await apiComments("approved")).map((c) => c.id)).toContain(stored.id);
    });

    await step("5. the other reader reloads and sees the comment under Kommentare", async () => {
      const response = await readerB.reload();
      expect(response?.status()).toBe(200);
      const section = readerB.locator("#comments");
      expect(await section.getByRole("heading", { level: 2, name: /^Kommentare/ }).innerText()).toMatch(/^Kommentare\s*\(1 Kommentar\)/);
      const item = section.locator("li.comment", { hasText: comment.text });
      await item.waitFor({ state: "visible" });
      const author = item.getByRole("link", { name: comment.author, exact: true });
      expect(await author.getAttribute("href")).toBe(comment.url);
      expect(await readerB.content(), "the e-mail address is never published").not.toContain(comment.email);
      expect(await readerB.getByText(PENDING_NOTICE).count()).toBe(0);
      await readerB.screenshot({ path: screenshots.article, fullPage: true });
    });

    await step("6b. axe on the article page (comment form and the comment shown)", async () => {
      expect((await axePage.goto(articleUrl))?.status()).toBe(200);
      await axePage.locator("li.comment", { hasText: comment.text }).waitFor({ state: "visible" });
      await axePage.locator("form.comment-form").waitFor({ state: "visible" });
      axeReports["article page"] = await runAxe(axePage);
    });

    timings.push(`scenario total: ${since(start)}`);
    const axeSummary = Object.entries(axeReports).map(([name, report]) => formatViolations(name, report));
    console.log(`${axeSummary.join("\n")}\nscreenshots:\n  ${screenshots.article}\n  ${screenshots.admin}`);
    expect(pageProblems, "errors in the browser (a CSP refusal, a stylesheet that did not load …)").toEqual([]);
    const violations = Object.values(axeReports).flatMap((r) => r.violations);
    expect(violations.length, axeSummary.join("\n")).toBe(0);
  });
});
