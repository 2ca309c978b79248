// The Worker bundle exactly as `wrangler deploy` would upload it, and its size;
// or, with another entry module, that module bundled the same way (same
// wrangler.toml build settings), e.g. a bench fixture wrapping the Worker.
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { constants, gzipSync } from "node:zlib";
import { runWrangler } from "../../tools/lib/wrangler";

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
  const began = performance.now();
  const args = ["deploy", "--dry-run", "--outdir", dir, ...(entry === undefined ? [] : [entry])];
  const result = await runWrangler(args, { cwd: root, env: { FORCE_COLOR: "0" } });
  if (result.code !== 0) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`wrangler deploy --dry-run${entry === undefined ? "" : ` ${entry}`} failed:\n${result.stdout}${result.stderr}`);
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
