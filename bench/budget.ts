// `npm run bench:budget`: does every invocation fit the platform's budget per
// invocation (50 D1 queries and 10 ms CPU on the Free plan)?
//
// The real Worker (the deploy bundle of bench/fixtures/budget-worker.ts, which
// wraps src/index.ts) runs in Miniflare (workerd), on a local D1 with the
// content of content/ plus 10,000 generated articles and 100,000 comments
// (bench/lib/scale-seed.ts, as bench:scale). D1 and the mail binding run in a
// second workerd process (bench/lib/d1-host.ts): the Worker's process then
// spends CPU on the Worker alone, as on the platform, where D1 and mail run
// elsewhere; the host counts the D1 requests, statements, rows read and mails
// of each invocation.
//
// Each invocation (a reader route, a queue batch of 10, a cron job or a whole
// cron, the admin desk) is measured
//   cold  the first request on a new isolate (a fresh workerd process), and
//   warm  the median of the following runs,
// as CPU time of the workerd thread that runs the isolate (nanoseconds from
// /proc/<pid>/task/<tid>/schedstat), minus the same for a request that does
// nothing (cold and warm alike). Work an invocation consumes (mail due, old
// spam, held comments) is put back before each run.
//
//   npm run bench:budget                 3 warm runs after one warm-up
//   BENCH_RUNS=7 npm run bench:budget    or --runs=7, --check (exit 1 when over a limit)
//
// Results are printed and written to bench/results/budget.json. Linux only (/proc).
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { numberSetting } from "./lib/args";
import { type BenchRequest, budgetScenarios, type Invocation, seedWork } from "./lib/budget-scenarios";
import { buildBundle } from "./lib/bundle";
import { type D1Host, type HostStats, startD1Host } from "./lib/d1-host";
import { threadCpuNs } from "./lib/proc";
import { formatTable, machine, toolVersions, writeJson } from "./lib/report";
import { cleanUp, runBench, trackBundleDir } from "./lib/run";
import { seedScale } from "./lib/scale-seed";
import { seedDatabase } from "./lib/seed";
import { type RunningWorker, realWorkerOptions, startWorker, stopWorker, textBinding } from "./lib/worker";

const ROOT = path.resolve(import.meta.dirname, "..");
const ENTRY = "bench/fixtures/budget-worker.ts";
const RESULTS_FILE = path.join(ROOT, "bench", "results", "budget.json");
/** The Free plan's limits per invocation. */
const MAX_QUERIES = 50;
const MAX_CPU_MS = 10;
/** Time for workerd to finish an answer's bookkeeping before its thread's CPU is read. */
const SETTLE_MS = 30;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Sample {
  cpuMs: number;
  stats: HostStats;
}

/** Sends one request and reads the Worker thread's CPU around it; throws on an unexpected answer. */
async function measureOnce(worker: RunningWorker, host: D1Host, request: BenchRequest): Promise<Sample> {
  await host.takeStats();
  const before = threadCpuNs(worker.pid);
  const res = await fetch(new URL(request.path, worker.url), {
    method: request.method ?? "GET",
    headers: request.headers,
    body: request.body,
    redirect: "manual",
  });
  const text = await res.text();
  await sleep(SETTLE_MS);
  const cpuMs = (threadCpuNs(worker.pid) - before) / 1e6;
  const stats = await host.takeStats();
  const expected = request.status ?? 200;
  if (res.status !== expected) throw new Error(`${request.method ?? "GET"} ${request.path}: ${res.status}, expected ${expected}: ${text.slice(0, 300)}`);
  request.check?.(text);
  return { cpuMs, stats };
}

interface Measured {
  cold: Sample;
  warm: Sample[];
}

async function measureInvocation(
  inv: Invocation,
  host: D1Host,
  options: ReturnType<typeof realWorkerOptions>,
  runs: number,
  log: (m: string) => void,
): Promise<Measured> {
  const worker = await startWorker(`budget-${inv.name.replace(/\W+/g, "-")}`, withVars(options, inv.vars ?? {}));
  try {
    await sleep(300);
    await inv.prepare?.(host.db);
    const cold = await measureOnce(worker, host, await inv.request(0));
    const warm: Sample[] = [];
    // One unmeasured warm-up, then the measured runs.
    for (let run = 1; run <= runs + 1; run++) {
      await inv.prepare?.(host.db);
      const sample = await measureOnce(worker, host, await inv.request(run));
      if (run > 1) warm.push(sample);
    }
    log(`${inv.name}: cold ${cold.cpuMs.toFixed(2)} ms, warm ${median(warm.map((s) => s.cpuMs)).toFixed(2)} ms, ${cold.stats.trips} D1 queries`);
    return { cold, warm };
  } finally {
    await stopWorker(worker);
  }
}

function withVars(options: ReturnType<typeof realWorkerOptions>, vars: Record<string, string>) {
  return { ...options, bindings: { ...(options.bindings ?? {}), ...vars } };
}

/** CPU of a request that does nothing: on a new isolate (median of three) and warm (median of ten). */
async function measureFloor(host: D1Host, options: ReturnType<typeof realWorkerOptions>): Promise<{ cold: number; warm: number }> {
  const noop: BenchRequest = { path: "/__budget/noop" };
  const colds: number[] = [];
  let warm = 0;
  for (let i = 0; i < 3; i++) {
    const worker = await startWorker(`budget-floor-${i}`, options);
    try {
      await sleep(300);
      colds.push((await measureOnce(worker, host, noop)).cpuMs);
      if (i === 0) {
        const warms: number[] = [];
        for (let k = 0; k < 10; k++) warms.push((await measureOnce(worker, host, noop)).cpuMs);
        warm = median(warms);
      }
    } finally {
      await stopWorker(worker);
    }
  }
  return { cold: median(colds), warm };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { runs: { type: "string" }, check: { type: "boolean" } } });
  const runs = Math.round(numberSetting(values.runs, "BENCH_RUNS", 3, 1));
  const check = values.check === true || process.env.BENCH_CHECK === "1";
  const log = (message: string) => console.error(`bench:budget: ${message}`);
  const loadAtStart = os.loadavg();

  log("bundling with wrangler deploy --dry-run");
  const bundle = await buildBundle(ROOT, ENTRY);
  trackBundleDir(bundle.dir);
  try {
    const all = realWorkerOptions(ROOT, bundle);
    const host = await startD1Host(all.compatibilityDate);
    log("seeding: migrations, content/, 10,000 articles, 100,000 comments");
    await seedDatabase(host.db, ROOT);
    await seedScale(host.db, { articles: 10_000, bigThreadComments: 10_000, smallThreadComments: 10, otherComments: 89_990, tags: 50 });
    const work = await seedWork(host.db);
    // The Worker under test has no D1 of its own (a query that bypassed the bench's client would fail),
    // and no queue consumer: batches come from the bench.
    const { d1Databases: _d1, queueConsumers: _consumers, ...rest } = all;
    // A token as strong as the Worker asks for, so that it does not warn on every start.
    const options = withVars(rest, { D1_HOST_URL: host.worker.url.href, ADMIN_TOKEN: "bench-budget-admin-token-0123456789abcdef" });
    const floor = await measureFloor(host, options);
    log(`floor (a request that does nothing): cold ${floor.cold.toFixed(2)} ms, warm ${floor.warm.toFixed(2)} ms`);

    const secrets = { formSecret: textBinding(options, "FORM_SECRET"), adminToken: textBinding(options, "ADMIN_TOKEN") };
    const scenarios = await budgetScenarios(host.db, secrets, work);
    const results = [];
    for (const inv of scenarios) {
      const m = await measureInvocation(inv, host, options, runs, log);
      const samples = [m.cold, ...m.warm];
      results.push({
        name: inv.name,
        queries: Math.max(...samples.map((s) => s.stats.trips)),
        statements: Math.max(...samples.map((s) => s.stats.statements)),
        rowsRead: Math.max(...samples.map((s) => s.stats.rowsRead)),
        mails: Math.max(...samples.map((s) => s.stats.mails)),
        coldCpuMs: Math.max(0, m.cold.cpuMs - floor.cold),
        warmCpuMs: Math.max(0, median(m.warm.map((s) => s.cpuMs)) - floor.warm),
      });
    }

    const table = formatTable(
      [
        { title: "invocation", align: "left" },
        { title: "D1 queries" },
        { title: "statements" },
        { title: "cold CPU ms" },
        { title: "warm CPU ms" },
        { title: "rows read" },
        { title: "mails" },
      ],
      results.map((r) => [
        r.name,
        String(r.queries),
        String(r.statements),
        r.coldCpuMs.toFixed(1),
        r.warmCpuMs.toFixed(1),
        r.rowsRead.toLocaleString("en"),
        String(r.mails),
      ]),
    );
    // CPU figures rise with the machine's load: say what it was.
    const load = (at: number[]) => at.map((l) => l.toFixed(2)).join(", ");
    console.log(`\n${table}\n`);
    console.log(`load average (1, 5, 15 min): ${load(loadAtStart)} at the start, ${load(os.loadavg())} at the end`);
    const worstQueries = results.reduce((a, r) => (r.queries > a.queries ? r : a));
    const worstCold = results.reduce((a, r) => (r.coldCpuMs > a.coldCpuMs ? r : a));
    console.log(`worst D1 queries: ${worstQueries.name}; worst cold CPU: ${worstCold.name}`);
    console.log(
      `budget: worst D1 queries per invocation ${worstQueries.queries} (limit ${MAX_QUERIES}); worst cold CPU ${worstCold.coldCpuMs.toFixed(1)} ms (limit ${MAX_CPU_MS})`,
    );
    await writeJson(RESULTS_FILE, {
      at: new Date().toISOString(),
      machine: machine(),
      loadAverage: { start: loadAtStart, end: os.loadavg() },
      tools: await toolVersions(ROOT),
      runs,
      floor,
      results,
    });
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);
    const over = worstQueries.queries > MAX_QUERIES || worstCold.coldCpuMs > MAX_CPU_MS;
    return check && over ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

runBench("bench:budget", main, () => {});
