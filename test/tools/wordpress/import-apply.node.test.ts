// An import is one transaction: posts, comments and redirects land together
// in a real local D1 (real wrangler), or none of them does and the content
// folder is as it was. Text that speaks of SQL transactions goes through
// wrangler's file handling whole.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { sqlString } from "../../../src/db/sql-text";
import { escapeHtml } from "../../../src/lib/html";
import type { CliIo } from "../../../tools/lib/terminal-io";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { createWorkspace } from "../helpers/workspace";
import { wxrComment, wxrExport, wxrItem } from "../helpers/wxr";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SQL_WORDS = "Wer SQL kennt, schreibt BEGIN TRANSACTION; und später COMMIT; – und BEGIN TRANSACTION; noch einmal.";

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function runImport(exportText: string, name: string) {
  const file = path.join(tmp, name);
  await writeFile(file, exportText);
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), confirm: async () => true };
  const code = await runImportWordPress([file, "--yes", "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, output: out.join("\n") };
}

const counts = async () => {
  const [rows = []] = await queryD1(
    target,
    "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM redirects) AS redirects",
  );
  return rows[0];
};
const listContent = async () => ((await readdir(content, { recursive: true }).catch(() => [])) as string[]).sort();

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("wordpress-apply-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("applying an import", () => {
  it("rolls back whole when its last statement fails: no post, comment, redirect or file is left behind", async () => {
    const posts = wxrExport([
      wxrItem({ id: "11", name: "erster-beitrag", title: "Erster Beitrag", content: "<p>Eins.</p>", comments: [wxrComment("101", "1", "Schön.")] }),
      wxrItem({ id: "12", name: "zweiter-beitrag", title: "Zweiter Beitrag", content: "<p>Zwei.</p>" }),
    ]);
    // D1 refuses the redirects, which come last in the import's one file.
    await queryD1(target, "CREATE TRIGGER refuse_redirects BEFORE INSERT ON redirects BEGIN SELECT RAISE(ABORT, 'redirects refused by the test'); END;");
    const failed = await runImport(posts, "scheitert.xml");
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain("redirects refused by the test");
    expect(failed.output).toContain("Nothing was written.");
    expect(await counts()).toEqual({ articles: 0, comments: 0, redirects: 0 });
    expect(await listContent()).toEqual([]);

    await queryD1(target, "DROP TRIGGER refuse_redirects;");
    const again = await runImport(posts, "gelingt.xml");
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Applying the articles, comments and redirects in one transaction");
    expect(await counts()).toMatchObject({ articles: 2, comments: 1 });
    expect(await listContent()).toEqual([".wordpress-import.json", "erster-beitrag.md", "zweiter-beitrag.md"]);
  });

  it("imports a post and comments that say BEGIN TRANSACTION; and COMMIT;, and the Worker shows those words", async () => {
    const transactions = wxrExport([
      wxrItem({
        id: "21",
        name: "transaktionen",
        title: "BEGIN TRANSACTION; erklärt",
        content: `<p>${escapeHtml(SQL_WORDS)}</p>`,
        comments: [wxrComment("201", "1", SQL_WORDS), wxrComment("202", "1", "Nur COMMIT; und dann BEGIN TRANSACTION;")],
      }),
    ]);
    const result = await runImport(transactions, "transaktionen.xml");
    expect(result.code, result.output).toBe(0);
    const [[article] = [], comments = []] = (await queryD1(
      target,
      `SELECT title, body_md FROM articles WHERE slug = 'transaktionen'; SELECT author, body_raw FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = ${sqlString("transaktionen")}) ORDER BY author`,
    )) as Record<string, string>[][];
    expect(article?.title).toBe("BEGIN TRANSACTION; erklärt");
    expect(article?.body_md).toContain(SQL_WORDS);
    expect(comments).toEqual([
      { author: "Leserin 201", body_raw: SQL_WORDS },
      { author: "Leserin 202", body_raw: "Nur COMMIT; und dann BEGIN TRANSACTION;" },
    ]);
    expect(await readFile(path.join(content, "transaktionen.md"), "utf8")).toContain(SQL_WORDS);

    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      const page = await worker.fetch("http://blog.test/articles/transaktionen");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(escapeHtml(SQL_WORDS));
      expect(html).toContain("BEGIN TRANSACTION; erklärt");
      expect(html).toContain("Nur COMMIT; und dann BEGIN TRANSACTION;");
    } finally {
      await worker.dispose();
    }
  });
});
