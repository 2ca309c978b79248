// `npm run bench`: how much CPU the reader pages cost beyond just sending the
// bytes. Each scenario's request is loaded against the real Worker (the deploy
// bundle in Miniflare/workerd, D1 seeded from migrations/ and content/) and then
// against a baseline Worker that answers with the same bytes and does nothing
// else; the loads run one after the other. CPU is the workerd process's
// user + system time over the load, from /proc, divided by completed requests.
// Miniflare runs D1 (SQLite behind a Durable Object) inside that same process,
// so the real Worker's figure includes query work that the platform does
// outside the Worker.
//
//   npm run bench                          10 s per load, 10 connections
//   BENCH_SECONDS=5 npm run bench          or: npm run bench -- --seconds=5
//   npm run bench -- --only=article --check
//
// Options (flag or environment variable):
//   --seconds=N      BENCH_SECONDS          measured load per Worker and scenario (default 10)
//   --warmup=N       BENCH_WARMUP_SECONDS   unmeasured load before it (default 2)
//   --connections=N  BENCH_CONNECTIONS      concurrent connections (default 10)
//   --only=a,b       BENCH_ONLY             run only these scenarios
//   --check          BENCH_CHECK=1          exit 1 when a goal is missed, not only when a run is invalid
//
// Results are printed and written to bench/results/pages.json. Linux only (/proc).
import { rmSync } from "node:fs";
import { readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { escapeHtml } from "../src/lib/html";
import { baselineWorkerScript, captureResponse, checkCaptured, checkSameBytes, type CapturedResponse } from "./lib/baseline";
import { buildBundle, GZIP_LEVEL, type Bundle } from "./lib/bundle";
import { measure, stopRunningLoad, timeOneRequest, type LoadSettings } from "./lib/load";
import { clockTicksPerSecond } from "./lib/proc";
import { kib, scenarioTable, writeJson, type ScenarioResult } from "./lib/report";
import type { Scenario } from "./lib/scenario";
import { applyMigrations, seedArticle, type D1Client, type SeededArticle } from "./lib/seed";
import { disposeAll, realWorkerOptions, scriptWorkerOptions, startWorker } from "./lib/worker";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS_FILE = path.join(ROOT, "bench", "results", "pages.json");

/** Articles written into D1 before the loads, relative to the repository root. */
const SEED_ARTICLES = ["content/internet-und-kmu-ein-versuch.md"];

/** Goal: the main module, gzipped, stays under 100 KB (100,000 bytes). */
const MAX_BUNDLE_GZIP_BYTES = 100_000;

/** The scenarios, in the order they run. Adding one is adding an entry. */
function scenarios(articles: SeededArticle[]): Scenario[] {
  const [article] = articles;
  if (!article) throw new Error("no seed article");
  return [
    {
      name: "article",
      method: "GET",
      path: `/articles/${article.slug}`,
      expectBody: [escapeHtml(article.title)],
      maxCpuRatio: 1.5,
    },
  ];
}

function settingsFromArgs(): { load: LoadSettings; only: string[] | null; check: boolean } {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string" },
      warmup: { type: "string" },
      connections: { type: "string" },
      only: { type: "string" },
      check: { type: "boolean" },
    },
  });
  const num = (flag: string | undefined, env: string, fallback: number, min: number) => {
    const raw = flag ?? process.env[env];
    if (raw === undefined || raw === "") return fallback;
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min) throw new Error(`${env} / --${env.replace(/^BENCH_/, "").toLowerCase()} must be a number >= ${min}, got "${raw}"`);
    return n;
  };
  const only = values.only ?? process.env.BENCH_ONLY;
  return {
    load: {
      seconds: num(values.seconds, "BENCH_SECONDS", 10, 1),
      warmupSeconds: num(values.warmup, "BENCH_WARMUP_SECONDS", 2, 0),
      connections: Math.round(num(values.connections, "BENCH_CONNECTIONS", 10, 1)),
    },
    only: only ? only.split(",").map((s) => s.trim()).filter(Boolean) : null,
    check: values.check === true || process.env.BENCH_CHECK === "1",
  };
}

async function packageVersion(name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(ROOT, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

async function main(): Promise<number> {
  const settings = settingsFromArgs();
  const log = (message: string) => console.error(`bench: ${message}`);

  log("bundling with wrangler deploy --dry-run");
  const bundle: Bundle = await buildBundle(ROOT);
  bundleDir = bundle.dir;
  try {
    log(`bundle ${path.basename(bundle.mainPath)}: ${kib(bundle.bytes)}, gzip -${GZIP_LEVEL} ${kib(bundle.gzipBytes)}`);

    const realOptions = realWorkerOptions(ROOT, bundle);
    const real = await startWorker("real", realOptions);
    log(`real Worker up in ${real.startupMs.toFixed(0)} ms (workerd pid ${real.pid}, ${real.url.href})`);

    const db = (await real.mf.getD1Database("DB")) as D1Client;
    await applyMigrations(db, path.join(ROOT, "migrations"));
    const articles: SeededArticle[] = [];
    for (const file of SEED_ARTICLES) articles.push(await seedArticle(db, ROOT, file));

    let selected = scenarios(articles);
    if (settings.only) {
      const unknown = settings.only.filter((name) => !selected.some((s) => s.name === name));
      if (unknown.length > 0) throw new Error(`unknown scenario(s): ${unknown.join(", ")}`);
      selected = selected.filter((s) => settings.only?.includes(s.name));
    }
    const first = selected[0];
    if (!first) throw new Error("no scenarios");

    // The very first request the fresh Worker isolate serves.
    const cold = await timeOneRequest(real.url, first);
    log(`first request (${first.name}): ${cold.status} in ${cold.ms.toFixed(1)} ms`);

    const captured = new Map<string, CapturedResponse>();
    for (const scenario of selected) {
      const response = await captureResponse(real.url.href, scenario);
      checkCaptured(scenario, response);
      captured.set(scenario.name, response);
    }

    const baselineOptions = scriptWorkerOptions(baselineWorkerScript([...captured.values()]), realOptions.compatibilityDate);
    const baseline = await startWorker("baseline", baselineOptions);
    log(`baseline Worker up in ${baseline.startupMs.toFixed(0)} ms (workerd pid ${baseline.pid}, ${baseline.url.href})`);
    for (const scenario of selected) {
      const expected = captured.get(scenario.name) as CapturedResponse;
      // Twice: the second answer shows the body survives being sent once.
      await checkSameBytes(baseline.url.href, scenario, expected);
      await checkSameBytes(baseline.url.href, scenario, expected);
    }

    const results: ScenarioResult[] = [];
    for (const scenario of selected) {
      log(`${scenario.name}: ${scenario.method} ${scenario.path}, real Worker, ${settings.load.warmupSeconds} s warm-up + ${settings.load.seconds} s`);
      const realRun = await measure(real.url, real.pid, scenario, settings.load);
      log(`${scenario.name}: baseline Worker, ${settings.load.warmupSeconds} s warm-up + ${settings.load.seconds} s`);
      const baselineRun = await measure(baseline.url, baseline.pid, scenario, settings.load);
      const cpuRatio = realRun.cpuMsPerRequest / baselineRun.cpuMsPerRequest;
      const valid = [realRun, baselineRun].every((m) => m.requests > 0 && m.non2xx === 0 && m.errors === 0 && m.timeouts === 0);
      results.push({
        name: scenario.name,
        method: scenario.method,
        path: scenario.path,
        responseBytes: (captured.get(scenario.name) as CapturedResponse).body.length,
        real: realRun,
        baseline: baselineRun,
        cpuRatio,
        ...(scenario.maxCpuRatio === undefined ? {} : { maxCpuRatio: scenario.maxCpuRatio }),
        valid,
        goalMet: scenario.maxCpuRatio === undefined ? null : cpuRatio <= scenario.maxCpuRatio,
      });
    }

    const bundleMet = bundle.gzipBytes < MAX_BUNDLE_GZIP_BYTES;
    const allValid = results.every((r) => r.valid);
    const goalsMet = bundleMet && results.every((r) => r.goalMet !== false);
    const yesNo = (met: boolean) => (met ? "met" : "NOT met");

    console.log();
    console.log(
      `${settings.load.seconds} s per load after ${settings.load.warmupSeconds} s warm-up, ${settings.load.connections} connections, ` +
        `${os.cpus().length} CPUs; CPU = workerd user+sys time / completed requests (${clockTicksPerSecond()} ticks/s)`,
    );
    console.log();
    console.log(scenarioTable(results));
    console.log();
    console.log(
      `bundle      ${path.basename(bundle.mainPath)} ${bundle.bytes.toLocaleString("en")} B, gzip -${GZIP_LEVEL} ` +
        `${bundle.gzipBytes.toLocaleString("en")} B (${kib(bundle.gzipBytes)}); goal < 100 KB = ${MAX_BUNDLE_GZIP_BYTES.toLocaleString("en")} B: ${yesNo(bundleMet)}` +
        (!bundleMet && bundle.gzipBytes < 100 * 1024 ? " (under 100 KiB, as wrangler counts)" : ""),
    );
    for (const r of results) {
      if (r.maxCpuRatio !== undefined) {
        console.log(`${r.name.padEnd(11)} CPU ratio ${r.cpuRatio.toFixed(2)}x; goal <= ${r.maxCpuRatio}x: ${yesNo(r.goalMet === true)}`);
      }
    }
    console.log(`cold start  real Worker up in ${real.startupMs.toFixed(0)} ms; first request ${cold.ms.toFixed(1)} ms`);
    if (!allValid) console.log("INVALID: some loads had non-2xx responses or connection errors (see the table)");
    console.log();

    await writeJson(RESULTS_FILE, {
      date: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, platform: `${os.platform()} ${os.release()}` },
      versions: { node: process.version, miniflare: await packageVersion("miniflare"), workerd: await packageVersion("workerd"), wrangler: await packageVersion("wrangler") },
      settings: { ...settings.load, clockTicksPerSecond: clockTicksPerSecond() },
      bundle: {
        file: path.basename(bundle.mainPath),
        bytes: bundle.bytes,
        gzipBytes: bundle.gzipBytes,
        gzipLevel: GZIP_LEVEL,
        goalMaxGzipBytes: MAX_BUNDLE_GZIP_BYTES,
        goalMet: bundleMet,
      },
      realWorker: { startupMs: real.startupMs, firstRequest: { scenario: first.name, status: cold.status, ms: cold.ms } },
      baselineWorker: { startupMs: baseline.startupMs },
      scenarios: results,
      valid: allValid,
      goalsMet,
    });
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);

    if (!allValid) return 1;
    return settings.check && !goalsMet ? 1 : 0;
  } finally {
    await cleanUp();
  }
}

/** The temporary bundle directory, once built. */
let bundleDir: string | undefined;

/** Stops every workerd this run started and removes the bundle; safe to call more than once. */
async function cleanUp(): Promise<void> {
  await disposeAll();
  if (bundleDir !== undefined) await rm(bundleDir, { recursive: true, force: true });
}

// Miniflare installs its own SIGINT handler, which kills workerd and exits at
// once; this one runs first (registered earlier) and so only does synchronous work.
process.on("SIGINT", () => {
  console.error("bench: interrupted");
  stopRunningLoad();
  if (bundleDir !== undefined) rmSync(bundleDir, { recursive: true, force: true });
  void disposeAll().finally(() => process.exit(130));
});

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    await cleanUp().catch(() => {});
    process.exit(1);
  },
);
