// The command line entry points as editors run them: `tsx tools/...`.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations } from "../../tools/lib/wrangler";
import { parseArticleFile } from "../../tools/publish/front-matter";
import { writeSiteContent } from "../browser/support/site-content";

const ROOT = path.resolve(import.meta.dirname, "../..");
let tmp = "";

function runCli(script: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, script, ...args], { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false" } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "cli-entry-"));
  await mkdir(path.join(tmp, "content"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("the command line entry points", () => {
  it("npm run publish reads a content folder of articles and pages as it is (dry run)", async () => {
    const d1 = path.join(tmp, "d1");
    await applyMigrations({ remote: false, persistTo: d1 });
    const site = await writeSiteContent(path.join(tmp, "site"), [
      { slug: "erster-beitrag", title: "Erster Beitrag", date: "2014-03-12", tags: ["KMU"] },
      { slug: "a-post-in-english", title: "A post in English", lang: "en", date: "2019-06-01" },
      { slug: "impressum", title: "Impressum", page: { nav: "footer", role: "imprint" } },
      { slug: "datenschutz", title: "Datenschutz", page: { nav: "footer", role: "privacy" } },
    ]);
    const { code, output } = await runCli("tools/publish.ts", ["--local", "--persist-to", d1, "--content", site, "--dry-run"]);
    expect(code, output).toBe(0);
    const row = (slug: string, file: string) => new RegExp(`^ {2}new {6}${slug} +${path.relative(ROOT, site)}/${file}$`, "m");
    for (const slug of ["erster-beitrag", "a-post-in-english"]) expect(output).toMatch(row(slug, `${slug}.md`));
    // The Impressum and the privacy statement are pages (pages/), published the same way.
    for (const slug of ["impressum", "datenschutz"]) expect(output).toMatch(row(slug, `pages/${slug}.md`));
    expect(output).toContain("4 new, 0 changed, 0 unchanged.\n");
    expect(output).toContain("4 files have no id: publishing writes one into each.\nDry run: nothing was written.");
  });

  it("npm run publish exits 2 on unknown options, with the usage", async () => {
    const { code, output } = await runCli("tools/publish.ts", ["--local", "--remote"]);
    expect(code).toBe(2);
    expect(output).toContain("Use either --local or --remote, not both.");
    expect(output).toContain("Usage: npm run publish --");
  });

  it("npm run new writes a draft whose front matter passes validation, and never overwrites", async () => {
    const content = path.join(tmp, "content");
    const { code, output } = await runCli("tools/new.ts", ["Neue Ideen für 2027", "--content", content]);
    expect(code, output).toBe(0);
    const text = await readFile(path.join(content, "neue-ideen-fuer-2027.md"), "utf8");
    const parsed = await parseArticleFile("neue-ideen-fuer-2027.md", text, { defaultLang: "de", timeZone: "Europe/Berlin" });
    expect(parsed.ok && parsed.value.fields).toMatchObject({ title: "Neue Ideen für 2027", slug: "neue-ideen-fuer-2027", draft: true, lang: "de" });
    // No date yet: the first publish fills it in.
    expect(parsed.ok && parsed.value.fields.date).toBeNull();
    const again = await runCli("tools/new.ts", ["Neue Ideen für 2027", "--content", content]);
    expect(again.code).toBe(1);
    expect(again.output).toContain("neue-ideen-fuer-2027.md already exists; choose another title or --slug");
  });

  it("npm run new --page writes a page into pages/ whose front matter passes validation as a page", async () => {
    const content = path.join(tmp, "content");
    const { code, output } = await runCli("tools/new.ts", ["Über uns", "--page", "--content", content]);
    expect(code, output).toBe(0);
    const text = await readFile(path.join(content, "pages", "ueber-uns.md"), "utf8");
    const parsed = await parseArticleFile("pages/ueber-uns.md", text, { defaultLang: "de", timeZone: "Europe/Berlin" });
    expect(parsed.ok && parsed.value.fields).toMatchObject({ title: "Über uns", slug: "ueber-uns", draft: true, comments: "closed", page: { nav: "header" } });
  });

  it.each([
    [["Titel", "--slug", "Mein Artikel"], '--slug: "Mein Artikel" is not a valid slug'],
    [["Titel", "--lang", "fr"], '--lang must be "de" or "en", got "fr"'],
    [["!!!"], 'the title "!!!" gives no slug; pass one with --slug'],
    [["Titel", "--content="], "--content needs a directory"],
    [["Titel", "--colour", "red"], "Unknown option '--colour'"],
  ])("npm run new %j names the flag that is wrong and writes nothing", async (args, message) => {
    const content = path.join(tmp, "content");
    const { code, output } = await runCli("tools/new.ts", [...args, ...(args.includes("--content=") ? [] : ["--content", content])]);
    expect(code).toBe(1);
    expect(output).toContain(message);
  });

  it("npm run publish names an empty path flag", async () => {
    const { code, output } = await runCli("tools/publish.ts", ["--local", "--content=", "--dry-run"]);
    expect(code).toBe(2);
    expect(output).toContain("--content needs a directory");
  });
});
