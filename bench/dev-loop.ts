// npm run bench:dev: the dev loop as an editor lives it. Starts `npm run dev`
// (tools/dev.ts) with its own content and local D1, then saves a file ten
// times in each way editors save (rename over, in place, delete and recreate,
// a new file in a new folder) and times each save until the open page's event
// stream says "reload" and until the reloaded page shows the new text; then
// deletes ten files and times the terminal's notice. Prints the median and the
// worst of each way. Nothing here asserts a time: it measures.
import { unlink } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { articleText, type DevCommand, listenToEvents, SAVE_WAYS, type SaveWay, saveTarget, startDevCommand, until } from "../test/tools/helpers/dev-command";

const SAVES = Number(process.env.BENCH_SAVES ?? 10);
/** Time between two saves, longer than the dev loop's quiet spell, so each save is its own publish. */
const PAUSE_MS = 400;

interface Row {
  way: string;
  event: number[];
  page: number[];
}

async function timeSaves(dev: DevCommand, events: string, way: SaveWay): Promise<Row> {
  const row: Row = { way: `${way.name} (${way.editors})`, event: [], page: [] };
  const stream = listenToEvents(events);
  await delay(300);
  for (let i = 1; i <= SAVES; i++) {
    const text = `Save ${i} of ${way.name}.`;
    const seen = stream.text().length;
    const savedAt = performance.now();
    const { file, slug } = saveTarget(dev.content, way, i);
    await way.save(file, articleText(`Weg ${i}`, text));
    await until("the reload event", 10_000, async () => (stream.text().slice(seen).includes("event: reload") ? true : null), dev);
    row.event.push(performance.now() - savedAt);
    // What the reload script does: load the page again.
    const page = await (await fetch(`${dev.origin}/articles/${slug}`)).text();
    if (!page.includes(text)) throw new Error(`the reloaded page of ${way.name} save ${i} does not show the new text`);
    row.page.push(performance.now() - savedAt);
    await delay(PAUSE_MS);
  }
  stream.stop();
  return row;
}

async function timeDeletes(dev: DevCommand): Promise<Row> {
  const row: Row = { way: "delete (the notice in the terminal)", event: [], page: [] };
  for (let i = 1; i <= SAVES; i++) {
    const file = path.join(dev.content, `weg-${i}.md`);
    const savedAt = performance.now();
    await unlink(file);
    // Each file's notice is printed once (the output kept is a tail, so no offsets).
    await until("the deletion notice", 10_000, async () => (dev.output().includes(`weg-${i}.md. Its article`) ? true : null), dev);
    row.event.push(performance.now() - savedAt);
    await delay(PAUSE_MS);
  }
  return row;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
}

async function main(): Promise<void> {
  const files: Record<string, string> = { "start.md": articleText("Start", "Erste Seite.") };
  // The ways that save one file again and again start from an existing file: every timed save is an edit.
  for (const way of SAVE_WAYS) if (!way.newFile) files[`${saveTarget("", way, 0).slug}.md`] = articleText("Weg", "Vorher.");
  for (let i = 1; i <= SAVES; i++) files[`weg-${i}.md`] = articleText(`Weg ${i}`, "Bald gelöscht.");
  const dev = await startDevCommand(files, "/articles/start");
  try {
    const first = await (await fetch(`${dev.origin}/articles/start`)).text();
    const events = /data-events="([^"]+)"/.exec(first)?.[1];
    if (!events) throw new Error("the page links no dev event stream");
    const rows: Row[] = [];
    for (const way of SAVE_WAYS) rows.push(await timeSaves(dev, events, way));
    rows.push(await timeDeletes(dev));
    const ms = (n: number) => `${Math.round(n)} ms`;
    console.log(`\nnpm run bench:dev — ${SAVES} saves per way, from the save to the reload event and to the reloaded page\n`);
    console.log("| way of saving | reload event: median | worst | reloaded page: median | worst |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    for (const r of rows) {
      const page = r.page.length > 0 ? [ms(median(r.page)), ms(Math.max(...r.page))] : ["–", "–"];
      console.log(`| ${r.way} | ${ms(median(r.event))} | ${ms(Math.max(...r.event))} | ${page.join(" | ")} |`);
    }
  } finally {
    await dev.stop();
  }
}

await main();
