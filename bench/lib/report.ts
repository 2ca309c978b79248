// Printing results as a table and writing them as JSON.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { Measurement } from "./load";

export interface ScenarioResult {
  name: string;
  method: string;
  path: string;
  /** Body bytes of the response all Workers send. */
  responseBytes: number;
  /** Status and headers of that response, as captured from the real Worker. */
  response: { status: number; headers: [string, string][] };
  real: Measurement;
  baseline: Measurement;
  /** The baseline+D1 Worker's load; null when the scenario declares no D1 work. */
  baselineD1: Measurement | null;
  /**
   * The D1 statements the baseline+D1 Worker ran per request (`call`: which D1
   * call, in order, and how it was made), with the parameters of one request
   * (fixed ones, or a sample when they vary per request), and the rows each returned.
   */
  d1: { call: number; kind: string; sql: string; params: unknown[]; rows: number }[] | null;
  /** The D1 Sessions API constraint both Workers open their session with, if any. */
  d1Session: string | null;
  /** Whether each request carried its own D1 parameters. */
  d1ParamsPerRequest: boolean;
  /** Real CPU per request / baseline CPU per request. */
  cpuRatio: number;
  /** Real CPU per request / baseline+D1 CPU per request (null: no baseline+D1 row). */
  cpuRatioVsBaselineD1: number | null;
  /** Baseline+D1 CPU per request / baseline CPU per request: what local D1 adds. */
  baselineD1Ratio: number | null;
  /** The Worker's own CPU per request, in ms: real minus baseline+D1 (minus baseline without D1 work). */
  ownCpuMs: number;
  maxCpuRatio?: number;
  /** Goal on ownCpuMs: under this many ms. */
  maxOwnCpuMs?: number;
  /** The Worker the goal compares with. */
  goalVs?: "baseline" | "baseline+D1";
  goalLabel?: string;
  /** Every response of the expected status, no connection errors, in every load. */
  valid: boolean;
  /** The scenario's goal, if it has one (null: none). */
  goalMet: boolean | null;
}

export interface Column {
  title: string;
  align?: "left" | "right";
}

/** Renders rows as a plain-text table with a header rule. */
export function formatTable(columns: Column[], rows: string[][]): string {
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => ((columns[i]?.align ?? "right") === "left" ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

const fixed = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

export function scenarioTable(results: ScenarioResult[]): string {
  const columns: Column[] = [
    { title: "scenario", align: "left" },
    { title: "worker", align: "left" },
    { title: "req/s" },
    { title: "p50 ms" },
    { title: "p99 ms" },
    { title: "CPU ms/req" },
    { title: "own ms/req" },
    { title: "vs baseline" },
    { title: "vs baseline+D1" },
    { title: "non-2xx" },
    { title: "errors" },
  ];
  const ratio = (r: number | null) => (r === null ? "" : `${fixed(r, 2)}x`);
  const rows: string[][] = [];
  for (const r of results) {
    const row = (worker: string, m: Measurement, vsBaseline: number | null, vsBaselineD1: number | null) => [
      worker === "real" ? r.name : "",
      worker,
      fixed(m.requestsPerSecond, 0),
      fixed(m.p50Ms, 2),
      fixed(m.p99Ms, 2),
      fixed(m.cpuMsPerRequest, 3),
      worker === "real" ? fixed(r.ownCpuMs, 3) : "",
      ratio(vsBaseline),
      ratio(vsBaselineD1),
      String(m.non2xx),
      String(m.errors),
    ];
    rows.push(row("real", r.real, r.cpuRatio, r.cpuRatioVsBaselineD1));
    rows.push(row("baseline", r.baseline, null, null));
    if (r.baselineD1) rows.push(row("baseline+D1", r.baselineD1, r.baselineD1Ratio, null));
  }
  return formatTable(columns, rows);
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}

/** The machine, for the results file. */
export function machine(): { cpus: number; cpuModel: string | null; platform: string } {
  return { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, platform: `${os.platform()} ${os.release()}` };
}

async function packageVersion(root: string, name: string): Promise<string> {
  const pkg = JSON.parse(await readFile(path.join(root, "node_modules", name, "package.json"), "utf8")) as { version: string };
  return pkg.version;
}

/** Versions of Node and the local Workers runtime, for the results file. */
export async function toolVersions(root: string): Promise<Record<string, string>> {
  return {
    node: process.version,
    miniflare: await packageVersion(root, "miniflare"),
    workerd: await packageVersion(root, "workerd"),
    wrangler: await packageVersion(root, "wrangler"),
  };
}
