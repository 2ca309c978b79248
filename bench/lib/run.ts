// How a bench script runs: its temporary bundle and its workerd processes are
// cleaned up however it ends (done, failed, or Ctrl-C).
import { rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { disposeAll } from "./worker";

let bundleDir: string | undefined;

/** Remembers the bundle directory to remove at the end. */
export function trackBundleDir(dir: string): void {
  bundleDir = dir;
}

/** Stops every workerd this run started and removes the bundle; safe to call more than once. */
export async function cleanUp(): Promise<void> {
  await disposeAll();
  if (bundleDir !== undefined) await rm(bundleDir, { recursive: true, force: true });
}

/**
 * Runs `main` and exits with its code. Miniflare installs its own SIGINT
 * handler, which kills workerd and exits at once; the one registered here
 * runs first, so it only does synchronous work before disposing.
 */
export function runBench(name: string, main: () => Promise<number>, onInterrupt: () => void): void {
  process.on("SIGINT", () => {
    console.error(`${name}: interrupted`);
    onInterrupt();
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
}
