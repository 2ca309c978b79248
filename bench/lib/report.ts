// Printing results as a table and writing them as JSON.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Measurement } from "./load";

export interface ScenarioResult {
  name: string;
  method: string;
  path: string;
  /** Body bytes of the response both Workers send. */
  responseBytes: number;
  real: Measurement;
  baseline: Measurement;
  /** Real CPU per request / baseline CPU per request. */
  cpuRatio: number;
  maxCpuRatio?: number;
  /** Every response 2xx, no connection errors. */
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
    { title: "CPU ratio" },
    { title: "non-2xx" },
    { title: "errors" },
  ];
  const rows: string[][] = [];
  for (const r of results) {
    const row = (worker: string, m: Measurement, ratio: string) => [
      worker === "real" ? r.name : "",
      worker,
      fixed(m.requestsPerSecond, 0),
      fixed(m.p50Ms, 2),
      fixed(m.p99Ms, 2),
      fixed(m.cpuMsPerRequest, 3),
      ratio,
      String(m.non2xx),
      String(m.errors),
    ];
    rows.push(row("real", r.real, `${fixed(r.cpuRatio, 2)}x`));
    rows.push(row("baseline", r.baseline, ""));
  }
  return formatTable(columns, rows);
}

export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;

export async function writeJson(file: string, data: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, `${JSON.stringify(data, null, 2)}\n`);
}
