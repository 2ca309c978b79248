// `npm run backup -- [--local|--remote] [--output FILE] [-c FILE]`: a SQL dump of the
// D1 database. `wrangler d1 export` refuses databases with virtual tables, and
// the search indexes are (articles, approved comments), so they are dropped for
// the export and built again right after (also when the export fails). The dump
// ends with the indexes' own statements, so restoring it into an empty D1 brings
// search back.
// Node only.
import { appendFile, readFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { readTargetFlags, TARGET_OPTIONS } from "../lib/target-flags";
import type { CliIo } from "../lib/terminal-io";
import { D1_BINDING, queryD1, runWrangler, targetArgs } from "../lib/wrangler";

const ROOT = path.resolve(import.meta.dirname, "../..");
/** The migrations that create the search indexes (articles, approved comments): the one source of their statements. */
const SEARCH_MIGRATIONS = ["0009_search.sql", "0031_comment_search.sql"].map((file) => path.join(ROOT, "migrations", file));
/** The virtual tables those migrations create. */
const SEARCH_TABLES = ["search_index", "comment_search"];

/** The statements of the search migrations that build the indexes (not the column 0009 adds). */
async function readSearchIndexStatements(): Promise<string[]> {
  const statements: string[] = [];
  for (const file of SEARCH_MIGRATIONS) {
    const text = (await readFile(file, "utf8")).replace(/^\s*--.*$/gm, "");
    // Triggers contain semicolons inside BEGIN … END; split after END; or a plain ;.
    for (const match of text.matchAll(/(CREATE TRIGGER[\s\S]*?END;|CREATE VIRTUAL TABLE[\s\S]*?;|INSERT INTO (?:search_index|comment_search)[\s\S]*?;)/g)) {
      statements.push((match[1] ?? "").trim());
    }
  }
  return statements;
}

function dropStatements(statements: string[]): string {
  const triggers = statements.flatMap((s) => /^CREATE TRIGGER (\w+)/.exec(s)?.[1] ?? []);
  return [...triggers.map((name) => `DROP TRIGGER IF EXISTS ${name};`), ...SEARCH_TABLES.map((table) => `DROP TABLE IF EXISTS ${table};`)].join("\n");
}

function readOptions(argv: string[]) {
  return parseArgs({ args: argv, options: { ...TARGET_OPTIONS, output: { type: "string", short: "o" } } }).values;
}

/** `wrangler d1 export` has no --persist-to: it reads the local state of the configuration it is given. */
const PERSIST_TO_UNSUPPORTED =
  "--persist-to: wrangler d1 export reads only the local state of its configuration; point -c/--config at the configuration instead.";

/** Runs the backup; returns the exit code. */
export async function runBackup(argv: string[], io: Pick<CliIo, "out" | "err">, now = new Date()): Promise<number> {
  let options: ReturnType<typeof readOptions>;
  try {
    options = readOptions(argv);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const target = readTargetFlags(options, { persistToUnsupported: PERSIST_TO_UNSUPPORTED });
  if (typeof target === "string") {
    io.err(target);
    return 2;
  }
  if (options.output === "") {
    io.err("--output needs a file");
    return 2;
  }
  const log = io.out;
  const output = options.output ?? `backup-${target.remote ? "remote" : "local"}-${now.toISOString().slice(0, 19).replace(/:/g, "-")}.sql`;
  const index = await readSearchIndexStatements();
  log(`Dropping the search index for the export (it is rebuilt right after)…`);
  await queryD1(target, dropStatements(index));
  try {
    const result = await runWrangler(["d1", "export", D1_BINDING, ...targetArgs(target), "--output", output]);
    if (result.code !== 0) {
      io.err(`wrangler d1 export failed:\n${result.stderr || result.stdout}`);
      return 1;
    }
    await appendFile(
      output,
      `\n-- The search indexes (migrations/0009_search.sql, 0031_comment_search.sql), rebuilt from the rows above.\n${index.join("\n")}\n`,
    );
    log(`Wrote ${output}. Restore it into an empty database with: wrangler d1 execute ${D1_BINDING} --file ${output}`);
    return 0;
  } finally {
    await queryD1(target, index.join("\n"));
    log("Search index rebuilt.");
  }
}
