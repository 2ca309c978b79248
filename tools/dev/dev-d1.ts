// The local D1 held open for `npm run dev`: spawning wrangler twice per saved
// file takes seconds; a binding kept open by wrangler's platform proxy answers
// in milliseconds, on the same files wrangler dev reads (tools/lib/local-env.ts).
import { readFile } from "node:fs/promises";
import { unstable_splitSqlQuery } from "wrangler";
import { openLocalEnv } from "../lib/local-env";
import type { D1Runner } from "../lib/wrangler";

/** A D1Runner on the local D1 and a way to close it. */
export async function openLocalD1(opts: { persistTo?: string; config?: string }): Promise<D1Runner & { close(): Promise<void> }> {
  const local = await openLocalEnv(opts);
  const db = local.env.DB;
  // D1 runs a batch in one transaction, as `wrangler d1 execute --file` does.
  const run = (statements: string[]) => db.batch(statements.map((sql) => db.prepare(sql)));
  return {
    query: async (statements) => (await run(statements)).map((r) => r.results ?? []),
    apply: async (statements) => (await run(statements)).length,
    // Split as `wrangler d1 execute --file` splits, so a file means here what it means there.
    applyFile: async (file) => (await run(unstable_splitSqlQuery(await readFile(file, "utf8")))).length,
    close: () => local.dispose(),
  };
}
