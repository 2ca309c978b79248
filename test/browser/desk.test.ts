// The moderator's desk in a real browser: select-all, a bulk spam
// applied to the ticked rows only, no default bulk action, buttons in line
// with their rows at 1280 px and on a 390 px phone, axe clean. Screenshots of
// both widths go to bench/results/ (not committed).
import { mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type D1Target, queryD1 } from "../../tools/lib/wrangler";
import { formatViolations, runAxe } from "./support/axe";
import { type LaunchedChromium, launchChromium, requireChromium } from "./support/chromium";
import { type DevServer, E2E_SECRETS, prepareDatabase, startDevServer, tearDownRig } from "./support/dev-server";
import { COMMENTABLE_ARTICLE, writeSiteContent } from "./support/site-content";

const SLUG = COMMENTABLE_ARTICLE.slug;
const RESULTS = path.resolve(import.meta.dirname, "../../bench/results");
const ids = ["a1", "a2", "a3", "a4"].map((n, i) => `${n}${n}${n}${n}0000-0000-4000-8000-00000000000${i}`);
const PARENT = "99999999-0000-4000-8000-000000000000";

let tmp = "";
let server: DevServer | undefined;
let chromium: LaunchedChromium | undefined;
const contexts: BrowserContext[] = [];
const pageProblems: string[] = [];

function origin(): string {
  if (!server) throw new Error("wrangler dev was not started");
  return server.origin;
}

async function newPage(width: number, height: number, bypassCSP = false): Promise<Page> {
  if (!chromium) throw new Error("Chromium was not launched");
  const context = await chromium.browser.newContext({ locale: "de-DE", timezoneId: "Europe/Berlin", viewport: { width, height }, bypassCSP });
  context.setDefaultTimeout(15_000);
  if (!bypassCSP) {
    context.on("console", (msg) => {
      if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) pageProblems.push(`console error: ${msg.text()}`);
    });
    context.on("weberror", (err) => pageProblems.push(`page error: ${err.error().message}`));
  }
  contexts.push(context);
  return context.newPage();
}

async function statusOf(id: string): Promise<string> {
  const res = await fetch(`${origin()}/admin/api/comments/${id}`, { headers: { Authorization: `Bearer ${E2E_SECRETS.ADMIN_TOKEN}` } });
  return ((await res.json()) as { status: string }).status;
}

async function logIn(page: Page): Promise<void> {
  await page.goto(`${origin()}/admin`);
  const token = page.getByLabel("Admin-Token", { exact: true });
  expect(await token.getAttribute("type")).toBe("password");
  expect(await token.getAttribute("autocomplete")).toBe("current-password");
  // Styled like the comment form's fields: as wide as the form, not the browser's default box.
  expect((await token.boundingBox())?.width ?? 0).toBeGreaterThan(250);
  await token.fill(E2E_SECRETS.ADMIN_TOKEN);
  await Promise.all([page.waitForURL(`${origin()}/admin`), page.getByRole("button", { name: "Anmelden", exact: true }).click()]);
  await page.getByRole("heading", { name: "Moderation in Zahlen" }).waitFor();
}

/** Each row's buttons start within its first lines and stay inside the row; nothing sticks out of the page. */
async function checkLayout(page: Page, label: string): Promise<void> {
  for (const id of ids) {
    const row = await page.locator(`#c-${id}`).boundingBox();
    const buttons = await page.locator(`#c-${id} .row-actions`).boundingBox();
    if (!row || !buttons) throw new Error(`${label}: row ${id} or its buttons are not shown`);
    expect(buttons.y, `${label}: buttons of ${id} inside the row`).toBeGreaterThanOrEqual(row.y - 1);
    expect(buttons.y + buttons.height, `${label}: buttons of ${id} end inside the row`).toBeLessThanOrEqual(row.y + row.height + 1);
  }
  const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - document.documentElement.clientWidth");
  expect(overflow, `${label}: the page scrolls sideways`).toBeLessThanOrEqual(0);
}

beforeAll(async () => {
  requireChromium();
  tmp = await mkdtemp(path.join(os.tmpdir(), "edge-blog-desk-"));
  const persistTo = path.join(tmp, "state");
  const logDir = path.join(tmp, "wrangler-logs");
  const contentDir = await writeSiteContent(path.join(tmp, "content"), [COMMENTABLE_ARTICLE]);
  chromium = await launchChromium();
  await prepareDatabase(persistTo, logDir, contentDir);
  const target: D1Target = { remote: false, persistTo };
  const now = Date.now();
  const values = ids.map(
    (id, i) =>
      `('${id}', (SELECT id FROM articles WHERE slug = '${SLUG}'), ${i === 3 ? `'${PARENT}'` : "NULL"}, 'Leser ${i + 1} mit einem recht langen Namen', 'leser${i}@example.org', 'Kommentar ${i + 1}: ein Text, der auf dem Telefon über mehrere Zeilen läuft, wie echte Kommentare es tun.', '<p>Kommentar ${i + 1}</p>', 'pending', '${i === 0 ? '[{"code":"too_many_links","count":3,"limit":2}]' : "[]"}', ${now - (i + 1) * 3_600_000})`,
  );
  await queryD1(
    target,
    `INSERT INTO comments (id, article_id, parent_id, author, email, body_raw, body_html, status, created_at) VALUES ('${PARENT}', (SELECT id FROM articles WHERE slug = '${SLUG}'), NULL, 'Paula', 'paula@example.org', 'Frage', '<p>Frage</p>', 'approved', ${now - 86_400_000});
     INSERT INTO comments (id, article_id, parent_id, author, email, body_raw, body_html, status, reasons, created_at) VALUES ${values.join(", ")};`,
  );
  server = await startDevServer({ persistTo, contentDir, logDir, readyPath: "/admin/login" });
  await mkdir(RESULTS, { recursive: true });
}, 180_000);

afterAll(async () => {
  await tearDownRig({ contexts, chromium, server, tmp });
}, 60_000);

describe("the moderator's desk", () => {
  it("select-all, no default action, bulk spam on the ticked rows; aligned at 1280 px and 390 px; axe clean", async () => {
    const page = await newPage(1280, 900);
    await logIn(page);
    const boxes = ids.map((id) => page.locator(`#select-${id}`));
    const all = page.getByRole("checkbox", { name: "Alle auswählen" });
    await all.check();
    for (const box of boxes) expect(await box.isChecked()).toBe(true);
    await all.uncheck();
    for (const box of boxes) expect(await box.isChecked()).toBe(false);
    await boxes[0]?.check();
    expect(await all.evaluate((el) => (el as { indeterminate?: boolean }).indeterminate)).toBe(true);

    // The reply names its parent; the first row's reason is a sentence.
    expect(await page.locator(`#c-${ids[3]}`).innerText()).toContain("Antwort auf Paula");
    expect(await page.locator(`#c-${ids[0]}`).innerText()).toContain("3 Links (Grenze 2)");
    await checkLayout(page, "1280 px");
    await page.screenshot({ path: path.join(RESULTS, "desk-1280.png"), fullPage: true });

    // No action chosen: nothing changes, and the page says why.
    expect(await page.getByLabel("Aktion für ausgewählte Kommentare").inputValue()).toBe("");
    await boxes[1]?.check();
    await Promise.all([page.waitForURL(/problem=action/), page.getByRole("button", { name: "Anwenden", exact: true }).click()]);
    expect(await page.getByRole("status").innerText()).toContain("Wähle zuerst eine Aktion; nichts wurde geändert.");
    for (const id of ids) expect(await statusOf(id)).toBe("pending");

    // Spam for two ticked rows: exactly those two.
    await page.locator(`#select-${ids[0]}`).check();
    await page.locator(`#select-${ids[2]}`).check();
    await page.getByLabel("Aktion für ausgewählte Kommentare").selectOption("spam");
    await Promise.all([page.waitForURL(/done=2/), page.getByRole("button", { name: "Anwenden", exact: true }).click()]);
    expect(await Promise.all(ids.map(statusOf))).toEqual(["spam", "pending", "spam", "pending"]);

    const phone = await newPage(390, 844);
    await logIn(phone);
    await phone.goto(`${origin()}/admin?status=all`);
    await checkLayout(phone, "390 px");
    await phone.screenshot({ path: path.join(RESULTS, "desk-390.png"), fullPage: true });
    await phone.locator(`#c-${ids[1]}`).screenshot({ path: path.join(RESULTS, "desk-390-row.png") });

    const axePage = await newPage(1280, 900, true);
    await logIn(axePage);
    await axePage.goto(`${origin()}/admin?status=all`);
    const report = await runAxe(axePage);
    expect(report.violations.length, formatViolations("desk", report)).toBe(0);
    console.log(`screenshots:\n  ${path.join(RESULTS, "desk-1280.png")}\n  ${path.join(RESULTS, "desk-390.png")}`);
    expect(pageProblems).toEqual([]);
  });
});
