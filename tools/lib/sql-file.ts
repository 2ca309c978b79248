// SQL files for `wrangler d1 execute --file`: every statement checked before
// it is written (wrangler would cut text holding "BEGIN TRANSACTION", D1
// refuses a statement over 100 KB), one statement after another, so that the
// file is one transaction exactly as built. Node only.
import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { checkStatementText } from "../../src/db/sql-text";

/** Throws naming the first statement that wrangler would change or D1 refuse. */
export function checkStatements(statements: readonly string[]): void {
  statements.forEach((sql, i) => {
    const problem = sql.trimEnd().endsWith(";") ? checkStatementText(sql) : "it does not end with a semicolon";
    if (problem) throw new Error(`SQL statement ${i + 1} (${sql.slice(0, 60)}…) cannot go to D1: ${problem}`);
  });
}

/** The text of a file holding the statements (checked), one after another. */
function renderSqlFile(statements: readonly string[]): string {
  checkStatements(statements);
  return statements.length === 0 ? "" : `${statements.join("\n")}\n`;
}

/** Writes the statements (checked) as a new file. */
export async function writeSqlFile(file: string, statements: readonly string[]): Promise<void> {
  await writeFile(file, renderSqlFile(statements));
}

/** Adds the statements (checked) at the end of the file. */
export async function appendSqlFile(file: string, statements: readonly string[]): Promise<void> {
  if (statements.length > 0) await appendFile(file, renderSqlFile(statements));
}

/** Runs `use` with a fresh temporary directory, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, use: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  try {
    return await use(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
