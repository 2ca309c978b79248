// The one place that starts wrangler: D1 read with --command --json, written
// with --file (one transaction), migrations, and `wrangler dev`. Node only;
// never imported by the Worker.
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";
import { parseSiteVars } from "../../src/config";
import type { SourceSettings } from "../publish/front-matter";
import { checkStatements, withTempDir, writeSqlFile } from "./sql-file";
import { TARGET_MESSAGES } from "./target-flags";

/** The D1 binding in wrangler.toml that holds the articles. */
export const D1_BINDING = "DB";

/** Which D1 wrangler talks to. */
export interface D1Target {
  remote: boolean;
  /** Local only: the directory wrangler keeps local state in (--persist-to). */
  persistTo?: string;
  /** Path to the wrangler configuration (--config); default: found from the working directory. */
  config?: string;
}

export interface WranglerResult {
  code: number;
  stdout: string;
  stderr: string;
}

const require = createRequire(import.meta.url);
const PROJECT_WRANGLER_BIN = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

/**
 * The wrangler script the tools run with the current Node: the project's own,
 * or the JavaScript file WRANGLER_BIN names (another wrangler build, or a
 * stand-in that records each call and answers as wrangler would).
 */
function wranglerBin(): string {
  return process.env.WRANGLER_BIN || PROJECT_WRANGLER_BIN;
}

function wranglerEnv(): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" };
}

/** Starts the project's wrangler with the current Node (metrics off unless the environment says otherwise) for a long-running command such as `dev`. */
export function spawnWrangler(args: string[], stdio: "inherit" | "pipe"): ChildProcess {
  return spawn(process.execPath, [wranglerBin(), ...args], { env: wranglerEnv(), stdio: stdio === "pipe" ? ["inherit", "pipe", "pipe"] : "inherit" });
}

/** Runs the project's wrangler to the end and collects its output; `options.env` adds to the environment. */
export function runWrangler(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<WranglerResult> {
  return new Promise((resolve, reject) => {
    const env = { ...wranglerEnv(), ...options.env };
    const child = spawn(process.execPath, [wranglerBin(), ...args], { cwd: options.cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
    child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out).toString("utf8"), stderr: Buffer.concat(err).toString("utf8") }));
  });
}

/** The flags that point wrangler at the target. */
export function targetArgs(target: D1Target): string[] {
  if (target.remote && target.persistTo) throw new Error(TARGET_MESSAGES.persistToRemote);
  return [
    target.remote ? "--remote" : "--local",
    ...(target.persistTo ? ["--persist-to", target.persistTo] : []),
    ...(target.config ? ["--config", target.config] : []),
  ];
}

/** Runs SQL (one or more statements, checked as a file's are) and returns each statement's rows. */
export async function queryD1(target: D1Target, sql: string): Promise<unknown[][]> {
  checkStatements([sql.trimEnd().endsWith(";") ? sql : `${sql};`]);
  const result = await runWrangler(["d1", "execute", D1_BINDING, ...targetArgs(target), "--json", "--command", sql]);
  return readResults(result, "reading D1");
}

/** Runs an SQL file in one transaction; returns the number of statements executed. Write it with sql-file.ts. */
async function executeD1File(target: D1Target, file: string): Promise<number> {
  const result = await runWrangler(["d1", "execute", D1_BINDING, ...targetArgs(target), "--json", "--yes", "--file", file]);
  const results = readResults(result, "writing D1");
  // Remotely wrangler reports the import as one summary row; locally, one result per statement.
  const summary = results.length === 1 && isRecord(results[0]?.[0]) ? results[0][0]["Total queries executed"] : undefined;
  return typeof summary === "number" ? summary : results.length;
}

/** How the publisher reads and writes one D1: through wrangler, or a binding `npm run dev` holds open. */
export interface D1Runner {
  /** Runs the statements and returns each one's rows. */
  query(statements: string[]): Promise<unknown[][]>;
  /** Runs the statements in one transaction; returns the number executed. */
  apply(statements: string[]): Promise<number>;
  /** Runs an SQL file (written with sql-file.ts) in one transaction; returns the number of statements executed. */
  applyFile(file: string): Promise<number>;
}

/** The runner that spawns wrangler for each call (`npm run publish`). */
export function wranglerRunner(target: D1Target): D1Runner {
  return {
    query: (statements) => queryD1(target, statements.join(" ")),
    apply: (statements) =>
      withTempDir("edge-blog-sql-", async (dir) => {
        const file = path.join(dir, "apply.sql");
        await writeSqlFile(file, statements);
        return executeD1File(target, file);
      }),
    applyFile: (file) => executeD1File(target, file),
  };
}

/** Applies migrations/ to the target (tests and benchmarks start from an empty local D1). */
export async function applyMigrations(target: D1Target): Promise<void> {
  const result = await runWrangler(["d1", "migrations", "apply", D1_BINDING, ...targetArgs(target)]);
  if (result.code !== 0) throw new Error(`wrangler d1 migrations apply failed:\n${result.stderr || result.stdout}`);
}

/**
 * The site settings from the wrangler configuration's vars, checked by the
 * Worker's own parser (src/config.ts), so the CLI and the Worker cannot
 * disagree: DEFAULT_LANG and SITE_TIMEZONE for reading files, SITE_URL for purging.
 */
export async function readSourceSettings(config?: string): Promise<SourceSettings & { siteUrl: string; firstTimeMode: boolean }> {
  const { unstable_readConfig } = await import("wrangler");
  const vars: Record<string, unknown> = unstable_readConfig({ config }, { hideWarnings: true }).vars ?? {};
  const site = parseSiteVars(vars);
  return { defaultLang: site.defaultLang, timeZone: site.timeZone, siteUrl: site.url, firstTimeMode: vars.COMMENT_MODERATION === "first_time" };
}

function readResults(result: WranglerResult, doing: string): unknown[][] {
  const json = parseJson(result.stdout);
  const error = errorText(json);
  if (result.code !== 0 || error !== null) {
    const detail = error ?? (result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`);
    const hint = /no such table/.test(detail)
      ? `\nThe database has no tables yet: npm start applies the migrations to the local D1 (npm run deploy to the deployed one), or run npm exec -- wrangler d1 migrations apply ${D1_BINDING} --local (or --remote).`
      : "";
    throw new Error(`wrangler failed while ${doing}: ${detail}${hint}`);
  }
  if (!Array.isArray(json)) throw new Error(`wrangler printed no results while ${doing}:\n${result.stdout}`);
  return json.map((entry: unknown) => (isRecord(entry) && Array.isArray(entry.results) ? entry.results : []));
}

function parseJson(stdout: string): unknown {
  const start = stdout.search(/[[{]/);
  if (start < 0) return null;
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    return null;
  }
}

function errorText(json: unknown): string | null {
  if (!isRecord(json) || !isRecord(json.error)) return null;
  return typeof json.error.text === "string" ? json.error.text : JSON.stringify(json.error);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
