// The local D1 held open for `npm run dev`: spawning wrangler twice per saved
// file takes seconds; a binding kept open by wrangler's platform proxy answers
// in milliseconds, on the same files wrangler dev reads (--persist-to DIR is
// DIR/v3 to Miniflare, as wrangler itself maps it).
import { readFile } from "node:fs/promises";
import path from "node:path";
import { getPlatformProxy, unstable_splitSqlQuery } from "wrangler";
import type { D1Runner } from "../lib/wrangler";

interface LocalD1 {
  prepare(sql: string): unknown;
  batch(statements: unknown[]): Promise<{ results?: unknown[] }[]>;
}

/** A D1Runner on the local D1 and a way to close it. */
export async function openLocalD1(opts: { persistTo?: string; config?: string }): Promise<D1Runner & { close(): Promise<void> }> {
  const persistPath = path.join(opts.persistTo ?? ".wrangler/state", "v3");
  const proxy = await getPlatformProxy<{ DB: LocalD1 }>({ configPath: opts.config, persist: { path: persistPath }, remoteBindings: false });
  const db = proxy.env.DB;
  // D1 runs a batch in one transaction, as `wrangler d1 execute --file` does.
  const run = (statements: string[]) => db.batch(statements.map((sql) => db.prepare(sql)));
  return {
    query: async (statements) => (await run(statements)).map((r) => r.results ?? []),
    apply: async (statements) => (await run(statements)).length,
    // Split as `wrangler d1 execute --file` splits, so a file means here what it means there.
    applyFile: async (file) => (await run(unstable_splitSqlQuery(await readFile(file, "utf8")))).length,
    close: () => proxy.dispose(),
  };
}
