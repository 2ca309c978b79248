// `npm run bench:compare -- --before=<checkout>`: the page benchmark of two
// checkouts (an older one, and this one or --after) on the same machine in one
// run, so that "no page got slower" is judged on figures taken under the same
// load. Two parts:
//
// 1. Whole benches. Each tree runs its own `npm run bench` (its own bundle,
//    seed, scenarios and baseline+D1 statements), in rounds that alternate
//    which tree goes first (A B, B A, A B, …), so that a change of the
//    machine's load over the run falls on both alike. Per scenario, the
//    median over the rounds of the Worker's own CPU per request (real minus
//    baseline+D1), of the real Worker's CPU per request and of baseline+D1's,
//    before and after, and the change in %. Noise: how far one tree's rounds
//    lie apart, ±half of (max - min) / median, of the noisier tree. Each
//    run's pages.json and output are kept under bench/results/compare/.
//
// 2. Side by side. Both trees' real Workers (each tree's deploy bundle and
//    seed, through its own bench/lib) run at the same time, each in its own
//    workerd process; the pages (and the comment POST, with each tree's own
//    form token) are requested in short blocks that
//    alternate between them (A B, B A, …), and each block's workerd CPU per
//    request is read from /proc. Load noise is shared by the two sides of
//    each pair, which the whole benches (minutes apart) cannot give: the
//    per-pair ratio after/before, its median and its spread (the middle half
//    of the pairs) show what changed and what is noise.
//
//   npm run bench:compare -- --before=../bench-old
//   npm run bench:compare -- --before=../bench-old --rounds=3 --seconds=5 --only=article,home
//
// Options:
//   --before=PATH    the older checkout (node_modules installed; bench/lib with
//                    buildBundle, realWorkerOptions, startWorker, seedDatabase)
//   --after=PATH     the newer checkout (default: this one)
//   --rounds=N       whole benches of each tree (default 3, at least 1; 0 skips part 1)
//   --seconds=N      measured load per Worker and scenario, passed on (default 5)
//   --warmup=N       unmeasured load before it, passed on (default 2)
//   --connections=N  passed on, and part 2's concurrency (default 10)
//   --only=a,b       scenarios, passed on (default: every scenario of the older bench)
//   --pairs=N        part 2: block pairs per page (default 12; 0 skips part 2)
//   --block=N        part 2: requests per block (default 300)
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { numberSetting } from "./lib/args";
import { cpuMsBetween, sampleCpu } from "./lib/proc";
import { formatTable } from "./lib/report";

const ROOT = path.resolve(import.meta.dirname, "..");
const OUT_DIR = path.join(ROOT, "bench", "results", "compare");

/** The article of bench/pages.ts's article and comment scenarios. */
const ARTICLE_SLUG = "internet-und-kmu-ein-versuch";

/** Part 2's requests: bench/pages.ts's scenarios, by name. */
const SIDE_BY_SIDE_PAGES: Record<string, string> = {
  article: `/articles/${ARTICLE_SLUG}`,
  home: "/",
  feed: "/feed.xml",
  // Each request a distinct, valid comment (its own address, e-mail and text), answered 202 as in bench/pages.ts.
  "comment-post": `/articles/${ARTICLE_SLUG}/comments`,
};

type Tree = "before" | "after";

/** What a pages.json gives per scenario (the fields both trees' benches write). */
interface ScenarioFigures {
  name: string;
  ownCpuMs: number;
  real: { cpuMsPerRequest: number };
  baselineD1: { cpuMsPerRequest: number } | null;
}

interface PagesJson {
  bundle: { gzipBytes: number };
  scenarios: ScenarioFigures[];
  valid: boolean;
}

interface Run {
  tree: Tree;
  round: number;
  loadBefore: number[];
  loadAfter: number[];
  seconds: number;
  results: PagesJson;
}

const loadAverage = () => os.loadavg().map((n) => Math.round(n * 100) / 100);
const log = (message: string) => console.error(`bench:compare: ${message}`);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** The value below which a share q of the values lie (linear between neighbours). */
function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = sorted[Math.floor(at)] as number;
  const high = sorted[Math.ceil(at)] as number;
  return low + (high - low) * (at - Math.floor(at));
}

/** ±half of (max - min) / median: how far one tree's rounds lie apart. */
function noise(values: number[]): number {
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / 2 / Math.abs(m);
}

const pct = (ratio: number) => `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(0)}%`;

// --- part 1: whole benches ---------------------------------------------------------

/** Runs `npm run bench` in a checkout; resolves to its pages.json, and keeps its output beside it. */
async function runBench(root: string, args: string[], logFile: string): Promise<PagesJson> {
  const output: Buffer[] = [];
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn("npm", ["run", "--silent", "bench", "--", ...args], { cwd: root, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.on("data", (d: Buffer) => output.push(d));
    child.stderr.on("data", (d: Buffer) => output.push(d));
    child.on("error", reject);
    child.on("close", resolve);
  });
  await writeFile(logFile, Buffer.concat(output));
  if (code !== 0) throw new Error(`npm run bench in ${root} exited with ${code}; its output is in ${path.relative(ROOT, logFile)}`);
  return JSON.parse(await readFile(path.join(root, "bench", "results", "pages.json"), "utf8")) as PagesJson;
}

interface Row {
  scenario: string;
  figure: string;
  before: number[];
  after: number[];
}

/** Per scenario: own, real and baseline+D1 CPU ms/req of every round of each tree. */
function rowsOf(runs: Run[], scenarios: string[]): Row[] {
  const of = (tree: Tree, name: string, pick: (s: ScenarioFigures) => number) =>
    runs
      .filter((r) => r.tree === tree)
      .map((r) => {
        const s = r.results.scenarios.find((x) => x.name === name);
        if (!s) throw new Error(`the ${tree} tree's bench has no scenario ${name}`);
        return pick(s);
      });
  const figures: [string, (s: ScenarioFigures) => number][] = [
    ["own ms/req", (s) => s.ownCpuMs],
    ["real ms/req", (s) => s.real.cpuMsPerRequest],
    ["baseline+D1 ms/req", (s) => s.baselineD1?.cpuMsPerRequest ?? Number.NaN],
  ];
  return scenarios.flatMap((name) =>
    figures.map(([figure, pick], i) => ({ scenario: i === 0 ? name : "", figure, before: of("before", name, pick), after: of("after", name, pick) })),
  );
}

function wholeBenchTable(rows: Row[]): string {
  const each = (values: number[]) => values.map((v) => v.toFixed(3)).join(" ");
  return formatTable(
    [
      { title: "scenario", align: "left" },
      { title: "figure", align: "left" },
      { title: "before" },
      { title: "after" },
      { title: "change" },
      { title: "noise" },
      { title: "before, each round", align: "left" },
      { title: "after, each round", align: "left" },
    ],
    rows.map((r) => {
      const before = median(r.before);
      const after = median(r.after);
      return [
        r.scenario,
        r.figure,
        before.toFixed(3),
        after.toFixed(3),
        pct((after - before) / before),
        `±${(Math.max(noise(r.before), noise(r.after)) * 100).toFixed(0)}%`,
        each(r.before),
        each(r.after),
      ];
    }),
  );
}

async function wholeBenches(trees: Record<Tree, string>, rounds: number, benchArgs: string[]): Promise<Run[]> {
  const runs: Run[] = [];
  for (let round = 1; round <= rounds; round++) {
    const order: Tree[] = round % 2 === 1 ? ["before", "after"] : ["after", "before"];
    for (const tree of order) {
      const loadBefore = loadAverage();
      log(`round ${round}/${rounds}: ${tree} (${trees[tree]}), load ${loadBefore.join(" ")}`);
      const began = performance.now();
      const results = await runBench(trees[tree], benchArgs, path.join(OUT_DIR, `${tree}-${round}.log`));
      const run: Run = { tree, round, loadBefore, loadAfter: loadAverage(), seconds: (performance.now() - began) / 1000, results };
      await writeFile(path.join(OUT_DIR, `${tree}-${round}.json`), `${JSON.stringify(results, null, 2)}\n`);
      if (!results.valid) throw new Error(`round ${round}, ${tree}: the bench reports an invalid run (see ${tree}-${round}.log)`);
      log(`round ${round}/${rounds}: ${tree} done in ${run.seconds.toFixed(0)} s, load ${run.loadAfter.join(" ")}`);
      runs.push(run);
    }
  }
  return runs;
}

// --- part 2: side by side ----------------------------------------------------------

/** A tree's own bench/lib, as far as part 2 uses it (the same since the bench had a baseline+D1 Worker). */
interface TreeLib {
  buildBundle(root: string): Promise<{ dir: string; gzipBytes: number }>;
  realWorkerOptions(root: string, bundle: unknown): Record<string, unknown>;
  startWorker(name: string, options: unknown): Promise<{ url: URL; pid: number; mf: { getD1Database(name: string): Promise<unknown> } }>;
  seedDatabase(db: unknown, root: string): Promise<{ id: number; slug: string }[]>;
  disposeAll(): Promise<void>;
}

async function treeLib(root: string): Promise<TreeLib> {
  const load = (file: string) => import(path.join(root, "bench", "lib", file)) as Promise<Record<string, unknown>>;
  return { ...(await load("bundle.ts")), ...(await load("worker.ts")), ...(await load("seed.ts")) } as unknown as TreeLib;
}

interface SideBySide {
  page: string;
  path: string;
  before: number[];
  after: number[];
  /** after / before of each pair of blocks. */
  ratios: number[];
}

/** How one side makes its requests: the i-th request's options and the status it must get. */
interface Requester {
  init(i: number): RequestInit;
  status: number;
}

const GET: Requester = { init: () => ({ headers: { "accept-encoding": "identity" } }), status: 200 };

/** Comment POSTs, each a distinct valid comment with the tree's own form token (issued a minute ago). */
async function commentRequester(root: string, options: Record<string, unknown>, articleId: number): Promise<Requester> {
  const { createFormToken } = (await import(path.join(root, "src", "comments", "form-token.ts"))) as {
    createFormToken(secret: string, articleId: number, now: number): Promise<string>;
  };
  const secret = (options.bindings as Record<string, unknown> | undefined)?.FORM_SECRET;
  if (typeof secret !== "string") throw new Error(`${root}: the real Worker has no FORM_SECRET binding`);
  const token = await createFormToken(secret, articleId, Date.now() - 60_000);
  const run = Date.now().toString(36);
  return {
    init: (i) => {
      const n = i + 1;
      return {
        method: "POST",
        headers: {
          "accept-encoding": "identity",
          "content-type": "application/json",
          "user-agent": "edge-blog-bench/compare",
          "cf-connecting-ip": `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`,
        },
        body: JSON.stringify({
          author: `Bench Reader ${i}`,
          email: `reader-${run}-${i}@example.com`,
          comment: `Comment ${i} of compare run ${run}: one distinct, valid comment per request.`,
          token,
        }),
      };
    },
    status: 202,
  };
}

/** Sends `count` requests over `connections` connections, numbered from `first`; every answer must have the requester's status. */
async function requestBlock(url: URL, requester: Requester, first: number, count: number, connections: number): Promise<void> {
  let sent = 0;
  const connection = async () => {
    while (sent < count) {
      const init = requester.init(first + sent++);
      const res = await fetch(url, init);
      await res.arrayBuffer();
      if (res.status !== requester.status) throw new Error(`${init.method ?? "GET"} ${url.pathname} answered ${res.status}`);
    }
  };
  await Promise.all(Array.from({ length: connections }, connection));
}

async function sideBySide(trees: Record<Tree, string>, pages: string[], pairs: number, block: number, connections: number): Promise<SideBySide[]> {
  const started: TreeLib[] = [];
  try {
    const workers = {} as Record<Tree, { url: URL; pid: number; comments: Requester }>;
    for (const tree of ["before", "after"] as const) {
      const root = trees[tree];
      const lib = await treeLib(root);
      const bundle = await lib.buildBundle(root);
      // As bench/pages.ts runs it: without queue consumers (no GET page sends to a queue).
      const { queueConsumers: _consumers, ...options } = lib.realWorkerOptions(root, bundle);
      started.push(lib);
      const worker = await lib.startWorker(`compare-${tree}`, options);
      const articles = await lib.seedDatabase(await worker.mf.getD1Database("DB"), root);
      const article = articles.find((a) => a.slug === ARTICLE_SLUG);
      if (!article) throw new Error(`${root}: no seed article ${ARTICLE_SLUG}`);
      workers[tree] = { url: worker.url, pid: worker.pid, comments: await commentRequester(root, options, article.id) };
      log(`side by side: ${tree} Worker up (workerd pid ${worker.pid}), bundle gzip ${bundle.gzipBytes.toLocaleString("en")} B`);
    }
    const results: SideBySide[] = [];
    for (const page of pages) {
      const pagePath = SIDE_BY_SIDE_PAGES[page] as string;
      const result: SideBySide = { page, path: pagePath, before: [], after: [], ratios: [] };
      const requester = (tree: Tree) => (page === "comment-post" ? workers[tree].comments : GET);
      const sent: Record<Tree, number> = { before: 0, after: 0 };
      const send = async (tree: Tree, count: number) => {
        await requestBlock(new URL(pagePath, workers[tree].url), requester(tree), sent[tree], count, connections);
        sent[tree] += count;
      };
      // Warm both isolates (JIT, the per-isolate caches) before measuring.
      for (const tree of ["before", "after"] as const) await send(tree, Math.min(block, 200));
      for (let pair = 0; pair < pairs; pair++) {
        const order: Tree[] = pair % 2 === 0 ? ["before", "after"] : ["after", "before"];
        const perRequest = {} as Record<Tree, number>;
        for (const tree of order) {
          const worker = workers[tree];
          const at = sampleCpu(worker.pid);
          await send(tree, block);
          perRequest[tree] = cpuMsBetween(at, sampleCpu(worker.pid)) / block;
          result[tree].push(perRequest[tree]);
        }
        result.ratios.push(perRequest.after / perRequest.before);
      }
      log(`side by side: ${page} done, load ${loadAverage().join(" ")}`);
      results.push(result);
    }
    return results;
  } finally {
    for (const lib of started) await lib.disposeAll();
  }
}

function sideBySideTable(results: SideBySide[]): string {
  return formatTable(
    [
      { title: "page", align: "left" },
      { title: "before ms/req" },
      { title: "after ms/req" },
      { title: "after/before, median of pairs" },
      { title: "middle half of pairs" },
    ],
    results.map((r) => [
      `${r.page} (${r.page === "comment-post" ? "POST" : "GET"} ${r.path})`,
      median(r.before).toFixed(3),
      median(r.after).toFixed(3),
      pct(median(r.ratios) - 1),
      `${pct(quantile(r.ratios, 0.25) - 1)} … ${pct(quantile(r.ratios, 0.75) - 1)}`,
    ]),
  );
}

// --- the run -----------------------------------------------------------------------

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      before: { type: "string" },
      after: { type: "string" },
      rounds: { type: "string" },
      seconds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      only: { type: "string" },
      pairs: { type: "string" },
      block: { type: "string" },
    },
  });
  if (!values.before) throw new Error("--before=<path of the older checkout> is required");
  const trees: Record<Tree, string> = { before: path.resolve(values.before), after: path.resolve(values.after ?? ROOT) };
  for (const [label, root] of Object.entries(trees)) {
    if (!existsSync(path.join(root, "bench", "pages.ts")) || !existsSync(path.join(root, "node_modules"))) {
      throw new Error(`--${label}=${root}: not a checkout with bench/pages.ts and node_modules`);
    }
  }
  const rounds = Math.round(numberSetting(values.rounds, "BENCH_ROUNDS", 3, 0, "rounds"));
  const seconds = numberSetting(values.seconds, "BENCH_SECONDS", 5, 1, "seconds");
  const warmup = numberSetting(values.warmup, "BENCH_WARMUP_SECONDS", 2, 0, "warmup");
  const connections = Math.round(numberSetting(values.connections, "BENCH_CONNECTIONS", 10, 1, "connections"));
  const pairs = Math.round(numberSetting(values.pairs, "BENCH_PAIRS", 12, 0, "pairs"));
  const block = Math.round(numberSetting(values.block, "BENCH_BLOCK", 300, 10, "block"));
  const only = values.only
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const benchArgs = [`--seconds=${seconds}`, `--warmup=${warmup}`, `--connections=${connections}`, ...(only ? [`--only=${only.join(",")}`] : [])];
  const pages = Object.keys(SIDE_BY_SIDE_PAGES).filter((page) => !only || only.includes(page));
  await mkdir(OUT_DIR, { recursive: true });

  const started = Date.now();
  const loadAtStart = loadAverage();
  const runs = rounds > 0 ? await wholeBenches(trees, rounds, benchArgs) : [];
  const sideLoad = loadAverage();
  const side = pairs > 0 && pages.length > 0 ? await sideBySide(trees, pages, pairs, block, connections) : [];
  const loadAtEnd = loadAverage();

  console.log();
  console.log(`before: ${trees.before}`);
  console.log(`after:  ${trees.after}`);
  console.log(
    `${os.cpus().length} CPUs; load average (1, 5, 15 min) ${loadAtStart.join(" ")} at the start, ${loadAtEnd.join(" ")} at the end ` +
      `(${((Date.now() - started) / 60_000).toFixed(0)} min)`,
  );
  const rows =
    runs.length > 0
      ? rowsOf(
          runs,
          (runs.find((r) => r.tree === "before") as Run).results.scenarios.map((s) => s.name),
        )
      : [];
  const gzip = (tree: Tree) => runs.find((r) => r.tree === tree)?.results.bundle.gzipBytes ?? null;
  if (runs.length > 0) {
    const loads = runs.flatMap((r) => [r.loadBefore[0] as number, r.loadAfter[0] as number]);
    console.log();
    console.log(
      `1. whole benches: ${rounds} round(s) of each tree, alternating; ${seconds} s per load after ${warmup} s warm-up, ${connections} connections; ` +
        `1-minute load ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`,
    );
    console.log(
      "   own = real - baseline+D1 CPU per request; medians over the rounds; noise = ±half of (max - min) / median of one tree's rounds, the noisier",
    );
    console.log();
    console.log(wholeBenchTable(rows));
    const before = gzip("before") as number;
    const after = gzip("after") as number;
    console.log();
    console.log(`bundle gzip -9: ${before.toLocaleString("en")} B -> ${after.toLocaleString("en")} B (${pct((after - before) / before)})`);
  }
  if (side.length > 0) {
    console.log();
    console.log(
      `2. side by side: both real Workers up at once, ${pairs} pairs of ${block}-request blocks per page (${connections} connections), ` +
        `alternating which goes first; workerd CPU per request; 1-minute load ${sideLoad[0]}–${loadAtEnd[0]}`,
    );
    console.log();
    console.log(sideBySideTable(side));
  }
  await writeFile(
    path.join(OUT_DIR, "summary.json"),
    `${JSON.stringify(
      {
        date: new Date().toISOString(),
        trees,
        settings: { rounds, seconds, warmup, connections, only: only ?? null, pairs, block },
        load: { start: loadAtStart, sideBySide: sideLoad, end: loadAtEnd },
        wholeBenches: {
          runs: runs.map(({ results, ...run }) => ({ ...run, bundleGzipBytes: results.bundle.gzipBytes })),
          rows: rows.map((r) => ({ ...r, beforeMedian: median(r.before), afterMedian: median(r.after) })),
          bundle: { beforeGzipBytes: gzip("before"), afterGzipBytes: gzip("after") },
        },
        sideBySide: side.map((r) => ({ ...r, ratioMedian: median(r.ratios) })),
      },
      null,
      2,
    )}\n`,
  );
  log(`results in ${path.relative(ROOT, OUT_DIR)}/`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exit(1);
  },
);
