// `npm run new` leaves the date out; the first publish that makes the
// file non-draft fills it in (now, in SITE_TIMEZONE), writes it into the file
// with every other byte kept, and D1 gets the same instant. The files carry
// an id, as \`npm run new\` writes them (renames.node.test.ts covers files without).
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSiteDate } from "../../../src/articles/site-dates";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import { type CliIo, runPublish } from "../../../tools/publish/publish-command";
import { createWorkspace } from "../helpers/workspace";

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function publish(args: string[] = []) {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), confirm: async () => true };
  const code = await runPublish([...args, "--local", "--yes", "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, output: lines.join("\n") };
}

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("publish-date-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the date of an undated article", () => {
  it("stays unset while a draft, is filled in at the first publish and written back, byte for byte otherwise", async () => {
    const file = path.join(content, "spaeter.md");
    const draft =
      "---\r\ntitle: Später\r\n# date: the first publish fills it in\r\nid: 01KBWZQ3M4X9A7B2C5D6E8F0GH\r\ndraft: true\r\n---\r\n\r\nText mit Umlauten: äöü.\r\n";
    await writeFile(file, draft);
    expect((await publish()).code).toBe(0);
    expect(await readFile(file, "utf8")).toBe(draft);
    const [[stored]] = (await queryD1(target, "SELECT status, published_at FROM articles WHERE slug = 'spaeter'")) as [
      [{ status: string; published_at: number | null }],
    ];
    expect(stored).toEqual({ status: "draft", published_at: null });

    const published = draft.replace("draft: true\r\n", "");
    await writeFile(file, published);
    const dry = await publish(["--dry-run"]);
    expect(dry.output).toContain("has no date: publishing fills in the time of publishing");
    expect(await readFile(file, "utf8")).toBe(published);

    const before = Date.now();
    const run = await publish();
    expect(run.code, run.output).toBe(0);
    const text = await readFile(file, "utf8");
    const date = /\r\ndate: (\S+)\r\n---\r\n/.exec(text)?.[1] ?? "";
    expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+0[12]:00$/);
    // Everything else stays as it was: the date line is the only addition.
    expect(text.replace(`date: ${date}\r\n`, "")).toBe(published);
    expect(run.output).toContain(`Dated ${path.relative(process.cwd(), file)}: date: ${date}`);
    const at = parseSiteDate(date, "Europe/Berlin") ?? 0;
    expect(Math.abs(at - before)).toBeLessThan(2 * 60_000);
    const [[row]] = (await queryD1(target, "SELECT status, published_at FROM articles WHERE slug = 'spaeter'")) as [[{ status: string; published_at: number }]];
    expect(row).toEqual({ status: "published", published_at: at });

    // The file and D1 agree: nothing to publish, and the file is not touched again.
    const again = await publish();
    expect(again.output).toContain("Nothing to publish");
    expect(await readFile(file, "utf8")).toBe(text);
  });

  it("fills an empty date: line in place and leaves pages and dated articles alone", async () => {
    const empty = path.join(content, "leer.md");
    await writeFile(empty, "---\ntitle: Leer\ndate:\ntags: [A]\nid: leer-0001\n---\n\nText.\n");
    await mkdir(path.join(content, "pages"), { recursive: true });
    const page = path.join(content, "pages", "ueber.md");
    const pageText = "---\ntitle: Über\nid: ueber-0001\n---\n\nSeite.\n";
    await writeFile(page, pageText);
    const dated = path.join(content, "datiert.md");
    const datedText = "---\ntitle: Datiert\ndate: 2024-05-01\nid: datiert-0001\n---\n\nText.\n";
    await writeFile(dated, datedText);
    expect((await publish()).code).toBe(0);
    expect(await readFile(empty, "utf8")).toMatch(
      /^---\ntitle: Leer\ndate: \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+0[12]:00\ntags: \[A\]\nid: leer-0001\n---\n\nText\.\n$/,
    );
    expect(await readFile(page, "utf8")).toBe(pageText);
    expect(await readFile(dated, "utf8")).toBe(datedText);
  });
});
