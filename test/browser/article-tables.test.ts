// Markdown tables on a phone: the stylesheet keeps each
// column's alignment (| ---: | gives align="right") and a wide table scrolls
// inside its own box instead of widening the page. Chromium lays out an
// article body rendered by the site's Markdown renderer with the site's
// stylesheet (src/assets/site.css) at 390 px, an iPhone's width.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderArticleHtml } from "../../src/articles/markdown";
import { type LaunchedChromium, launchChromium } from "./support/chromium";

const STYLESHEET = path.join(import.meta.dirname, "../../src/assets/site.css");

const WIDE_TABLE = [
  "| Kunde | Branche | Ansprechperson | Telefonnummer | Umsatz 2025 | Bemerkung |",
  "| :--- | :---: | --- | --- | ---: | --- |",
  "| Bäckerei Müller GmbH & Co. KG | Lebensmittelhandwerk | Friederike Schwarzenberger | +49 (0)30 1234567-890 | 1.234.567,89 € | Verlängerung_des_Wartungsvertrags_angefragt |",
  "| Zahnarztpraxis | Gesundheit | Dr. Maximilian Oberndorfer | +49 (0)89 9876543-210 | 98.765,43 € | Neukundin |",
].join("\n");

// Run in the page as they are (strings: the page's DOM is not in this project's types).
const MEASURE_WIDTHS = `(() => {
  const table = document.querySelector("table");
  return { page: document.documentElement.scrollWidth, tableBox: table.clientWidth, tableContent: table.scrollWidth };
})()`;
// align="left" computes to -webkit-left in Chromium: the same thing.
const READ_HEADER_ALIGNMENT = `[...document.querySelectorAll("thead th")].map((cell) => ({
  align: cell.getAttribute("align"),
  computed: getComputedStyle(cell).textAlign.replace("-webkit-", ""),
}))`;
const READ_CELL_ALIGNMENT = `[...document.querySelectorAll("tbody tr:first-child td")].map((cell) => getComputedStyle(cell).textAlign.replace("-webkit-", ""))`;

let chromium: LaunchedChromium | undefined;

beforeAll(async () => {
  chromium = await launchChromium();
});

afterAll(async () => {
  await chromium?.browser.close();
});

async function layOut(markdown: string) {
  if (!chromium) throw new Error("Chromium was not launched");
  const css = await readFile(STYLESHEET, "utf8");
  const page = await chromium.browser.newPage({ viewport: { width: 390, height: 844 } });
  const { html } = renderArticleHtml(markdown);
  await page.setContent(
    `<!DOCTYPE html><html lang="de"><head><meta name="viewport" content="width=device-width, initial-scale=1"><style>${css}</style></head>` +
      `<body><main id="main" class="wrap"><article class="article"><div class="article-body">${html}</div></article></main></body></html>`,
  );
  return page;
}

describe("Markdown tables at 390 px", () => {
  it("scroll inside their own box: the page stays as wide as the phone", async () => {
    const page = await layOut(`Davor.\n\n${WIDE_TABLE}\n\nDanach.`);
    const widths = (await page.evaluate(MEASURE_WIDTHS)) as { page: number; tableBox: number; tableContent: number };
    await page.close();
    expect(widths.page).toBeLessThanOrEqual(390);
    expect(widths.tableBox).toBeLessThanOrEqual(390);
    // The table really is wider than the phone, and its box scrolls to show it.
    expect(widths.tableContent).toBeGreaterThan(widths.tableBox);
  });

  it("keep each column's alignment from the Markdown", async () => {
    const page = await layOut(WIDE_TABLE);
    const aligns = (await page.evaluate(READ_HEADER_ALIGNMENT)) as { align: string | null; computed: string }[];
    const cells = (await page.evaluate(READ_CELL_ALIGNMENT)) as string[];
    await page.close();
    expect(aligns.map((a) => a.align)).toEqual(["left", "center", null, null, "right", null]);
    expect(aligns.map((a) => a.computed)).toEqual(["left", "center", "start", "start", "right", "start"]);
    expect(cells).toEqual(["left", "center", "start", "start", "right", "start"]);
  });
});
