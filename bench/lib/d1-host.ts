// The D1 host of `npm run bench:budget`: a Worker in its own workerd process
// with the real local D1 (Miniflare's), which the Worker under test reaches
// over HTTP (bench/fixtures/budget-worker.ts). Every statement and batch goes
// through the D1 binding's own request path, asking for rows and columns with
// D1's meta (as the binding's raw() and batch() do), so the client gets
// exactly what the binding would give it. The host counts, for the bench,
// round trips, statements and rows read and written.
import type { D1Client } from "./seed";
import { type RunningWorker, scriptWorkerOptions, startWorker } from "./worker";

export interface HostStats {
  /** Requests to D1: a statement on its own or a batch, each one. */
  trips: number;
  statements: number;
  rowsRead: number;
  rowsWritten: number;
  /** Mails sent through the env.EMAIL the bench gives the Worker. */
  mails: number;
  /** Messages sent through the env.COMMENT_QUEUE the bench gives the Worker. */
  messages: number;
}

// _sendOrThrow is the D1 binding's request to D1 (workerd's d1-api), the one path
// every prepared statement and batch takes; called here directly so that the
// answer keeps rows, columns and meta together.
const HOST_SCRIPT = `
// The binding's own calls pass a tracing span; the host has none to give.
const noSpan = { setAttribute() {}, setAttributes() {} };
const zero = () => ({ trips: 0, statements: 0, rowsRead: 0, rowsWritten: 0, mails: 0, messages: 0 });
let stats = zero();
export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    if (url.pathname === "/stats") {
      const now = stats;
      if (url.searchParams.has("reset")) stats = zero();
      return Response.json(now);
    }
    if (url.pathname === "/queue") {
      await request.arrayBuffer();
      stats.messages += 1;
      return new Response(null, { status: 204 });
    }
    if (url.pathname === "/mail") {
      await request.text();
      stats.mails += 1;
      return new Response(null, { status: 204 });
    }
    const { session, sql, params } = await request.json();
    stats.trips += 1;
    const d1 = env.DB.withSession(session);
    try {
      const results = await d1._sendOrThrow("/query", sql, params, "ROWS_AND_COLUMNS", noSpan);
      for (const r of Array.isArray(results) ? results : [results]) {
        stats.statements += 1;
        stats.rowsRead += r.meta?.rows_read ?? 0;
        stats.rowsWritten += r.meta?.rows_written ?? 0;
      }
      return Response.json({ results, bookmark: d1.getBookmark() });
    } catch (err) {
      stats.statements += Array.isArray(sql) ? sql.length : 1;
      return Response.json({ error: String(err?.message ?? err), bookmark: d1.getBookmark() });
    }
  },
};`;

export interface D1Host {
  worker: RunningWorker;
  /** The real local D1, for seeding and preparing work from Node. */
  db: D1Client;
  /** The counts since the last reset; resets them. */
  takeStats(): Promise<HostStats>;
}

export async function startD1Host(compatibilityDate: string | undefined): Promise<D1Host> {
  const worker = await startWorker("d1-host", scriptWorkerOptions(HOST_SCRIPT, compatibilityDate, { d1Databases: { DB: "bench-budget" } }));
  const db = (await worker.mf.getD1Database("DB")) as unknown as D1Client;
  return {
    worker,
    db,
    async takeStats() {
      const res = await fetch(new URL("/stats?reset", worker.url));
      return (await res.json()) as HostStats;
    },
  };
}
