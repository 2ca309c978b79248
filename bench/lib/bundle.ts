// The Worker bundle exactly as `wrangler deploy` would upload it, and its size;
// or, with another entry module, that module bundled the same way (same
// wrangler.toml build settings), e.g. a bench fixture wrapping the Worker.
import { execFile } from "node:child_process";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { constants, gzipSync } from "node:zlib";

export const GZIP_LEVEL = constants.Z_BEST_COMPRESSION; // 9

export interface Bundle {
  /** Temporary directory holding the bundle. */
  dir: string;
  /** Absolute path of the main module. */
  mainPath: string;
  /** Size of the main module, in bytes. */
  bytes: number;
  /** Size of the main module gzipped with zlib at GZIP_LEVEL, in bytes. */
  gzipBytes: number;
  /** Every file wrangler wrote beside it (source map, README), for the record. */
  files: string[];
  buildMs: number;
}

/**
 * Runs `wrangler deploy --dry-run --outdir <tmp> [entry]` in `root` and
 * measures the main module. `entry` (relative to `root`) replaces wrangler.toml's `main`.
 */
export async function buildBundle(root: string, entry?: string): Promise<Bundle> {
  const dir = await mkdtemp(path.join(tmpdir(), "edge-blog-bench-"));
  const wrangler = path.join(root, "node_modules", "wrangler", "bin", "wrangler.js");
  const began = performance.now();
  try {
    await promisify(execFile)(process.execPath, [wrangler, "deploy", "--dry-run", "--outdir", dir, ...(entry === undefined ? [] : [entry])], {
      cwd: root,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    const e = err as { stdout?: string; stderr?: string };
    throw new Error(`wrangler deploy --dry-run${entry === undefined ? "" : ` ${entry}`} failed:\n${e.stdout ?? ""}${e.stderr ?? ""}`, { cause: err });
  }
  const buildMs = performance.now() - began;
  const files = (await readdir(dir)).sort();
  const modules = files.filter((f) => /\.(m?js)$/.test(f));
  // wrangler names the main module after the entry point (src/index.ts -> index.js).
  const expected = `${path.basename(entry ?? "index.ts").replace(/\.[cm]?[jt]sx?$/, "")}.js`;
  const main = modules.includes(expected) ? expected : modules.length === 1 ? modules[0] : undefined;
  if (main === undefined) throw new Error(`cannot tell the main module among ${files.join(", ")} in ${dir}`);
  const mainPath = path.join(dir, main);
  const code = await readFile(mainPath);
  return { dir, mainPath, bytes: code.length, gzipBytes: gzipSync(code, { level: GZIP_LEVEL }).length, files, buildMs };
}
