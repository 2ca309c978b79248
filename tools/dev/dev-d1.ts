// The local D1 held open for `npm run dev`: spawning wrangler twice per saved
// file takes seconds; a binding kept open by wrangler's platform proxy answers
// in milliseconds, on the same files wrangler dev reads (tools/lib/local-env.ts).
import { readFile } from "node:fs/promises";
import { setTimeout as delay } from "node:timers/promises";
import { unstable_splitSqlQuery } from "wrangler";
import { openLocalEnv } from "../lib/local-env";
import type { D1Runner } from "../lib/wrangler";

/** A D1Runner on the local D1 and a way to close it. */
export async function openLocalD1(opts: { persistTo?: string; config?: string }): Promise<D1Runner & { close(): Promise<void> }> {
  const local = await openLocalEnv(opts);
  const db = local.env.DB;
  // D1 runs a batch in one transaction, as `wrangler d1 execute --file` does.
  const run = (statements: string[]) => whileLocked(() => db.batch(statements.map((sql) => db.prepare(sql))));
  return {
    query: async (statements) => (await run(statements)).map((r) => r.results ?? []),
    apply: async (statements) => (await run(statements)).length,
    // Split as `wrangler d1 execute --file` splits, so a file means here what it means there.
    applyFile: async (file) => (await run(unstable_splitSqlQuery(await readFile(file, "utf8")))).length,
    close: () => local.dispose(),
  };
}

/** How long a batch waits for wrangler dev's own workerd to let go of the database. */
const LOCK_WAIT_MS = [25, 50, 100, 200, 400, 800];

/**
 * Runs a batch again while the SQLite file is locked. wrangler dev's workerd
 * and this one share the file; a page read at the moment of a save makes the
 * write fail with SQLITE_BUSY (which D1 reports as an internal error about the
 * commit token). A failed batch wrote nothing, so running it again is safe, and
 * the save is not lost.
 */
async function whileLocked<T>(run: () => Promise<T>): Promise<T> {
  for (const wait of LOCK_WAIT_MS) {
    try {
      return await run();
    } catch (error) {
      if (!/SQLITE_BUSY|database is locked|session commit token/i.test(String(error))) throw error;
      await delay(wait);
    }
  }
  return run();
}
