// The real Worker under `wrangler dev` (local mode, no account) on a free port,
// with its own local D1 in a temporary --persist-to directory and its own
// content folder (site-content.ts): migrations applied and that folder
// published first, exactly as `npm start` does, and its media served as the
// static assets. The repository's content/ is never read.
import { rm } from "node:fs/promises";
import { createRequire } from "node:module";
import net, { type AddressInfo } from "node:net";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import type { BrowserContext } from "playwright-core";
import type { LaunchedChromium } from "./chromium";
import { childEnv, runNode, type StartedProcess, startNode } from "./processes";

const require = createRequire(import.meta.url);
const WRANGLER_BIN = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");
const TSX_CLI = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");

/**
 * Secrets for this run. .dev.vars is not committed (CI has none), so they are
 * passed with --var, which also wins over a developer's own .dev.vars.
 */
export const E2E_SECRETS = {
  FORM_SECRET: "e2e-form-secret-0123456789abcdef",
  IP_HASH_SALT: "e2e-ip-salt-0123456789abcdef",
  ADMIN_TOKEN: "e2e-admin-token-0123456789abcdef",
} as const;

const E2E_VARS: Record<string, string> = {
  ...E2E_SECRETS,
  // No minimum wait for the story tests: a browser fills the form at machine
  // speed. The token's signature and article are still checked; the wait has
  // its own browser test (comment-errors.test.ts), which sets it back.
  COMMENT_MIN_SECONDS: "0",
};

export interface DevServer {
  origin: string;
  /** Everything wrangler printed lately (for failure messages). */
  log: () => string;
  stop: () => Promise<void>;
}

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** `wrangler d1 migrations apply DB --local --persist-to DIR`, then `npm run publish -- --local --persist-to DIR --content CONTENT --yes`. */
export async function prepareDatabase(persistTo: string, logDir: string, contentDir: string): Promise<{ publishOutput: string }> {
  const env = childEnv(logDir);
  await runNode("wrangler d1 migrations apply", [WRANGLER_BIN, "d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], env, 90_000);
  const publish = [TSX_CLI, "tools/publish.ts", "--local", "--persist-to", persistTo, "--content", contentDir, "--yes"];
  const publishOutput = await runNode("npm run publish", publish, env, 90_000);
  if (!/Published: \d+ new/.test(publishOutput)) throw new Error(`npm run publish did not publish ${contentDir}:\n${publishOutput}`);
  return { publishOutput };
}

/** Starts `wrangler dev` and waits until `readyPath` answers 200 (at most `timeoutMs`). */
export async function startDevServer(opts: {
  persistTo: string;
  /** The test's content folder: its media are the static assets (instead of wrangler.toml's content/). */
  contentDir: string;
  logDir: string;
  readyPath: string;
  timeoutMs?: number;
  /** Vars that differ from E2E_VARS for this server. */
  vars?: Record<string, string>;
}): Promise<DevServer> {
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const vars = Object.entries({ ...E2E_VARS, ...opts.vars }).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const args = [
    WRANGLER_BIN,
    "dev",
    "--ip",
    "127.0.0.1",
    "--port",
    String(port),
    "--inspector-port",
    String(inspectorPort),
    "--persist-to",
    opts.persistTo,
    "--assets",
    opts.contentDir,
    "--show-interactive-dev-session=false",
    ...vars,
  ];
  const wrangler: StartedProcess = startNode(args, childEnv(opts.logDir));
  const origin = `http://127.0.0.1:${port}`;
  const server: DevServer = { origin, log: () => wrangler.output.toString(), stop: () => wrangler.stop() };
  try {
    await waitUntilReady(wrangler, `${origin}${opts.readyPath}`, opts.timeoutMs ?? 90_000);
  } catch (error) {
    await wrangler.stop();
    throw error;
  }
  return server;
}

async function waitUntilReady(wrangler: StartedProcess, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    if (wrangler.hasExited()) throw new Error(`wrangler dev exited (${await wrangler.exited}) before ${url} answered:\n${wrangler.output}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
      await response.arrayBuffer();
      if (response.status === 200) return;
      last = `HTTP ${response.status}`;
    } catch (error) {
      last = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ""}` : String(error);
    }
    await delay(250);
  }
  throw new Error(`wrangler dev did not answer ${url} with 200 within ${timeoutMs / 1000} s (last: ${last}):\n${wrangler.output}`);
}

/** What a browser test started: closed in this order, each step even when one before it failed. */
export interface BrowserTestRig {
  contexts?: BrowserContext[];
  chromium?: LaunchedChromium;
  server?: DevServer;
  /** The temporary directory (database, logs) to remove last. */
  tmp: string;
}

/** Closes the contexts and the browser (waiting at most 15 s for it), stops the server and removes the directory. */
export async function tearDownRig(rig: BrowserTestRig): Promise<void> {
  try {
    for (const context of rig.contexts ?? []) await context.close().catch(() => undefined);
    if (rig.chromium) await Promise.race([rig.chromium.browser.close(), delay(15_000)]);
  } finally {
    try {
      await rig.server?.stop();
    } finally {
      if (rig.tmp) await rm(rig.tmp, { recursive: true, force: true });
    }
  }
}
