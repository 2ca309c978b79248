// `npm run preview`: stores the rendered draft in the previews table
// of a real local D1 (never in articles) and prints a link signed over the
// stored id and expiry; bad files and flags are refused with their reason.
import { rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderArticleHtml } from "../../../src/articles/markdown";
import { signPreview } from "../../../src/previews/link";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import { runPreview } from "../../../tools/preview/preview-command";
import type { CliIo } from "../../../tools/publish/publish-command";
import { createWorkspace } from "../helpers/workspace";

const SECRET = "node-test-preview-secret-0123456789";
let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function preview(args: string[]) {
  const lines: string[] = [];
  const io: CliIo = { out: (l) => lines.push(l), err: (l) => lines.push(l), confirm: async () => true };
  const code = await runPreview([...args, "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, output: lines.join("\n") };
}

beforeAll(async () => {
  process.env.PREVIEW_SECRET = SECRET;
  ({ tmp, content, target } = await createWorkspace("preview-cli-"));
});

afterAll(async () => {
  Reflect.deleteProperty(process.env, "PREVIEW_SECRET");
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run preview", () => {
  it("stores the draft apart from articles and prints a signed link that expires in 7 days by default", async () => {
    const file = path.join(content, "entwurf.md");
    await writeFile(file, `---\ntitle: Ein Entwurf\ndraft: true\n---\n\n${"Langer Absatz mit 'Zitat'. ".repeat(3000)}\n`);
    const before = Date.now();
    const run = await preview([file]);
    expect(run.code, run.output).toBe(0);
    const link = /http:\/\/localhost:8787\/preview\/([A-Za-z0-9_-]{22})\?sig=([A-Za-z0-9_-]+)/.exec(run.output);
    expect(link).not.toBeNull();
    const [, id = "", sig = ""] = link ?? [];
    const [rows = []] = await queryD1(target, `SELECT slug, title, lang, length(body_html) AS len, expires_at FROM previews WHERE id = '${id}'`);
    const row = rows[0] as { slug: string; title: string; lang: string; len: number; expires_at: number };
    expect(row).toMatchObject({ slug: "entwurf", title: "Ein Entwurf", lang: "de" });
    // Longer than one statement may be: stored whole, in chunks.
    expect(row.len).toBeGreaterThan(80_000);
    expect(row.expires_at - before).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(row.expires_at - Date.now()).toBeLessThanOrEqual(7 * 86_400_000);
    expect(sig).toBe(await signPreview(SECRET, id, row.expires_at));
    const [articles = []] = await queryD1(target, "SELECT count(*) AS n FROM articles");
    expect(articles[0]).toEqual({ n: 0 });
  });

  it("takes --expires in hours or days and refuses other forms", async () => {
    const file = path.join(content, "kurz.md");
    await writeFile(file, "---\ntitle: Kurz\n---\n\nText.\n");
    const run = await preview([file, "--expires", "12h"]);
    expect(run.code, run.output).toBe(0);
    const [rows = []] = await queryD1(target, "SELECT expires_at - created_at AS span FROM previews WHERE slug = 'kurz'");
    expect(rows[0]).toEqual({ span: 12 * 3_600_000 });
    for (const [value, message] of [
      ["7", "--expires must be a number of days or hours"],
      ["0d", "--expires must be a number of days or hours"],
      ["91d", "--expires must be at most 90d"],
    ]) {
      const bad = await preview([file, "--expires", value ?? ""]);
      expect(bad.code).toBe(2);
      expect(bad.output).toContain(message);
    }
  });

  it("names a broken file's line and a file outside the content directory, storing nothing", async () => {
    const file = path.join(content, "kaputt.md");
    await writeFile(file, "---\ntitle: Kaputt\ntitel: Tippfehler\n---\n\nText.\n");
    const broken = await preview([file]);
    expect(broken.code).toBe(1);
    expect(broken.output).toContain(`${file}:3: titel: unknown field`);
    const outside = path.join(tmp, "draussen.md");
    await writeFile(outside, "---\ntitle: Draußen\n---\n\nText.\n");
    const away = await preview([outside]);
    expect(away.code).toBe(1);
    expect(away.output).toContain("not inside the content directory");
    const [rows = []] = await queryD1(target, "SELECT count(*) AS n FROM previews WHERE slug IN ('kaputt', 'draussen')");
    expect(rows[0]).toEqual({ n: 0 });
  });

  it("stores a draft that says BEGIN TRANSACTION; and COMMIT; word for word, and emoji across its chunks whole", async () => {
    const file = path.join(content, "transaktion.md");
    // Long enough for several statements; runs of emoji starting at odd and even offsets put a surrogate pair across any chunk boundary.
    const emoji = "🙂".repeat(15_000);
    const body = `Erst BEGIN TRANSACTION; dann COMMIT; und noch einmal BEGIN TRANSACTION;\n\n${emoji}x${emoji}y${emoji}`;
    await writeFile(file, `---\ntitle: "BEGIN TRANSACTION; COMMIT;"\ndraft: true\n---\n\n${body}\n`);
    const run = await preview([file]);
    expect(run.code, run.output).toBe(0);
    const [rows = []] = await queryD1(target, "SELECT title, body_html FROM previews WHERE slug = 'transaktion'");
    const row = rows[0] as { title: string; body_html: string };
    expect(row.title).toBe("BEGIN TRANSACTION; COMMIT;");
    // Compared as a boolean first: a broken surrogate pair in a diff would garble the test output.
    expect(row.body_html === renderArticleHtml(body).html).toBe(true);
    expect(row.body_html).toContain("Erst BEGIN TRANSACTION; dann COMMIT; und noch einmal BEGIN TRANSACTION;");
  });
});
