// Child processes for the browser tests: each runs in its own process group
// (wrangler starts node, esbuild and workerd below it), every wait is bounded,
// and whatever is still running when the test process exits is killed.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";

const ROOT = path.resolve(import.meta.dirname, "../../..");

/** Process groups started here and not yet stopped. */
const running = new Set<number>();
const SIGNALS = ["SIGTERM", "SIGINT", "SIGHUP"] as const;

function killAll(): void {
  for (const pgid of running) signalGroup(pgid, "SIGKILL");
  running.clear();
}

/**
 * The last resort when a test file never reaches its afterAll. The groups are
 * detached, so Ctrl-C does not reach them: they are killed when this process
 * exits or is told to stop (Vitest ends its workers with SIGTERM). A stopped
 * worker then ends at once (Vitest turns process.exit into an exception in
 * tests); Chromium follows by itself when its pipe to Playwright closes.
 * Installed only while something runs, so a worker's ordinary end is untouched.
 */
function onSignal(): void {
  killAll();
  process.kill(process.pid, "SIGKILL");
}

function track(pgid: number): void {
  if (running.size === 0) {
    process.on("exit", killAll);
    for (const signal of SIGNALS) process.on(signal, onSignal);
  }
  running.add(pgid);
}

function untrack(pgid: number): void {
  running.delete(pgid);
  if (running.size === 0) {
    process.off("exit", killAll);
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
}

/** Sends a signal to a whole process group; false when none of it is left. */
function signalGroup(pgid: number, signal: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
    throw error;
  }
}

/** The environment for wrangler and the CLI: no metrics, no colours, logs in our temp dir. */
export function childEnv(logDir: string): NodeJS.ProcessEnv {
  return { ...process.env, WRANGLER_SEND_METRICS: "false", WRANGLER_LOG_PATH: logDir, NO_COLOR: "1", FORCE_COLOR: "0" };
}

/** The last `max` characters a process printed, for error messages. */
class OutputTail {
  private text = "";
  constructor(private readonly max = 20_000) {}
  attach(child: ChildProcess): void {
    const add = (chunk: Buffer) => {
      this.text = (this.text + chunk.toString("utf8")).slice(-this.max);
    };
    child.stdout?.on("data", add);
    child.stderr?.on("data", add);
  }
  toString(): string {
    return this.text;
  }
}

export interface StartedProcess {
  child: ChildProcess;
  output: OutputTail;
  /** Resolves with the exit code (or the signal) once the process has exited. */
  exited: Promise<number | string>;
  hasExited: () => boolean;
  /** SIGTERM to the group, SIGKILL to whatever is left after `graceMs`; bounded. */
  stop: (graceMs?: number) => Promise<void>;
}

/** Starts `node <args>` with the Node that runs the tests (Node 22 from node_modules/.bin under npm). */
export function startNode(args: string[], env: NodeJS.ProcessEnv): StartedProcess {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  const pgid = child.pid;
  if (pgid === undefined) throw new Error(`could not start ${process.execPath} ${args.join(" ")}`);
  track(pgid);
  const output = new OutputTail();
  output.attach(child);
  let done = false;
  const exited = new Promise<number | string>((resolve) => {
    child.once("exit", (code, signal) => {
      done = true;
      resolve(code ?? signal ?? "unknown");
    });
    child.once("error", (error) => {
      done = true;
      resolve(error.message);
    });
  });
  const stop = async (graceMs = 10_000) => {
    if (!done) {
      signalGroup(pgid, "SIGTERM");
      await Promise.race([exited, delay(graceMs)]);
    }
    // The group leader may be gone while workerd or esbuild below it are not.
    signalGroup(pgid, "SIGKILL");
    await Promise.race([exited, delay(5_000)]);
    for (let i = 0; i < 50 && signalGroup(pgid, 0); i++) await delay(100);
    if (signalGroup(pgid, 0)) console.warn(`process group ${pgid} (${args[0]}) still has members after SIGKILL`);
    untrack(pgid);
  };
  return { child, output, exited, hasExited: () => done, stop };
}

/** Runs `node <args>` to completion within `timeoutMs`; throws with the output on failure. */
export async function runNode(what: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const started = startNode(args, env);
  const result = await Promise.race([started.exited, delay(timeoutMs).then(() => "timeout" as const)]);
  if (result === "timeout") {
    await started.stop(0);
    throw new Error(`${what} did not finish within ${timeoutMs / 1000} s:\n${started.output}`);
  }
  await started.stop(0);
  if (result !== 0) throw new Error(`${what} failed (exit ${result}):\n${started.output}`);
  return started.output.toString();
}
