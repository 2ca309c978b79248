// `npm run backup` against a real local D1: wrangler's export refuses virtual
// tables, so the command drops the search index around the export; the site's
// index is back afterwards, and the dump restores into an empty D1 with search.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runBackup } from "../../../tools/backup/backup-command";
import { applyMigrations, type D1Target, queryD1, runWrangler, targetArgs } from "../../../tools/lib/wrangler";

let tmp = "";
let target: D1Target = { remote: false };

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "backup-"));
  // wrangler d1 export has no --persist-to: a configuration of its own keeps its local state in tmp.
  const config = path.join(tmp, "wrangler.toml");
  const migrations = path.resolve(import.meta.dirname, "../../../migrations");
  await writeFile(
    config,
    `name = "backup-test"\ncompatibility_date = "2026-10-01"\n[[d1_databases]]\nbinding = "DB"\ndatabase_name = "backup-test"\ndatabase_id = "00000000-0000-0000-0000-000000000000"\nmigrations_dir = ${JSON.stringify(migrations)}\n`,
  );
  target = { remote: false, config };
  await applyMigrations(target);
  await queryD1(
    target,
    `INSERT INTO articles (slug, title, body_md, body_hash, lang, status, published_at, updated_at)
     VALUES ('sicherung', 'Sicherungskopien für Möglichkeiten', 'Text über Onlinemarketing.', 'x', 'de', 'published', 1, 1);
     INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at)
     VALUES ('c0000000-0000-4000-8000-00000000b001', (SELECT id FROM articles WHERE slug = 'sicherung'), 'Eva', 'eva@example.org', 'Gute Werkstätten.', '<p>Gute Werkstätten.</p>', 'approved', 1)`,
  );
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const SEARCH = "SELECT a.slug FROM search_index JOIN articles a ON a.id = search_index.rowid WHERE search_index MATCH '\"moglichkeiten\"'";
const COMMENT_SEARCH = "SELECT c.author FROM comment_search JOIN comments c ON c.rowid = comment_search.rowid WHERE comment_search MATCH '\"werkstatt\"'";

describe("npm run backup", () => {
  it("exports a database that has the search indexes, keeps them, and the dump restores with search of articles and comments", async () => {
    const output = path.join(tmp, "dump.sql");
    const log: string[] = [];
    expect(await runBackup(["--local", "--config", target.config ?? "", "--output", output], { out: (l) => log.push(l), err: (l) => log.push(l) })).toBe(0);
    const dump = await readFile(output, "utf8");
    expect(dump).toContain("Sicherungskopien");
    expect(dump).toContain("CREATE VIRTUAL TABLE search_index");
    const [rows] = await queryD1(target, SEARCH);
    expect(rows).toEqual([{ slug: "sicherung" }]);

    const restored: D1Target = { remote: false, persistTo: path.join(tmp, "restored") };
    const result = await runWrangler(["d1", "execute", "DB", ...targetArgs(restored), "--yes", "--file", output]);
    expect(result.code, result.stderr).toBe(0);
    const [again] = await queryD1(restored, SEARCH);
    expect(again).toEqual([{ slug: "sicherung" }]);
    // The comment index too: kept on the site, and restored with the dump.
    expect(dump).toContain("CREATE VIRTUAL TABLE comment_search");
    expect((await queryD1(target, COMMENT_SEARCH))[0]).toEqual([{ author: "Eva" }]);
    expect((await queryD1(restored, COMMENT_SEARCH))[0]).toEqual([{ author: "Eva" }]);
  });

  it("refuses contradictory flags", async () => {
    const log: string[] = [];
    expect(await runBackup(["--local", "--remote"], { out: (l) => log.push(l), err: (l) => log.push(l) })).toBe(2);
    expect(log.join("\n")).toContain("either --local or --remote");
  });
});
