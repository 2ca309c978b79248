// Starting Workers in Miniflare: the real one configured from wrangler.toml
// (bindings, vars, compatibility date) around the deploy bundle, and plain
// script Workers such as the baseline. Each instance runs in its own workerd
// process, whose pid is recorded so its CPU time can be read from /proc.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  convertV4MiniflareOptions,
  type Json,
  Miniflare,
  type V4MiniflareOptions,
  type V4ModuleDefinition,
  type V4SharedOptions,
  type V4WorkerOptions,
} from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { parseDevVars } from "../../tools/lib/dev-vars";
import type { Bundle } from "./bundle";
import { childPids } from "./proc";

const HOST = "127.0.0.1";

export interface RunningWorker {
  name: string;
  mf: Miniflare;
  /** Socket straight to the Worker, bypassing Miniflare's entry Worker (see startWorker). */
  url: URL;
  /** The workerd process serving this instance (and only this instance). */
  pid: number;
  /** From `new Miniflare()` until it accepted requests, in ms. */
  startupMs: number;
}

const running = new Set<RunningWorker>();
let starting: Promise<unknown> = Promise.resolve();

/** Shared Miniflare options a caller may add (logging, log capture); host, port and sockets stay startWorker's. */
export type ExtraSharedOptions = Pick<V4SharedOptions, "log" | "handleStructuredLogs">;

/**
 * Starts a Miniflare instance for one Worker. Requests are meant for `url`, a
 * direct socket to the Worker: Miniflare's default entry socket routes every
 * request through an extra "entry" Worker in the same process, whose CPU would
 * be added to both sides of every comparison. Starts are serialised so the new
 * workerd process can be told apart from the others.
 */
export function startWorker(name: string, worker: V4WorkerOptions, shared: ExtraSharedOptions = {}): Promise<RunningWorker> {
  const start = starting.then(async () => {
    const before = childPids(process.pid, "workerd");
    const began = performance.now();
    const options: V4MiniflareOptions = {
      ...worker,
      ...shared,
      name,
      host: HOST,
      port: 0,
      logRequests: false,
      // The placeholder Request.cf object: no fetch of the real one from workers.cloudflare.com.
      cf: false,
      unsafeDirectSockets: [{ host: HOST, port: 0 }],
    };
    const mf = new Miniflare(convertV4MiniflareOptions(options));
    try {
      await mf.ready;
      const url = await mf.unsafeGetDirectURL(name);
      const startupMs = performance.now() - began;
      const added = [...childPids(process.pid, "workerd")].filter((pid) => !before.has(pid));
      if (added.length !== 1) throw new Error(`expected one new workerd process for ${name}, found ${added.length}`);
      const handle: RunningWorker = { name, mf, url, pid: added[0] as number, startupMs };
      running.add(handle);
      return handle;
    } catch (err) {
      await mf.dispose().catch(() => {});
      throw err;
    }
  });
  starting = start.catch(() => {});
  return start;
}

/** Disposes one instance startWorker started. */
export async function stopWorker(worker: RunningWorker): Promise<void> {
  running.delete(worker);
  await worker.mf.dispose();
}

/** Disposes every instance startWorker started; safe to call more than once. */
export async function disposeAll(): Promise<void> {
  const all = [...running];
  running.clear();
  await Promise.allSettled(all.map((w) => w.mf.dispose()));
}

/**
 * Options for the real Worker: everything wrangler.toml configures, as
 * `wrangler dev` would, but running the deploy bundle. Static assets are left
 * out: the platform serves them before the Worker runs, and the asset router
 * would add its CPU to the real Worker's process only.
 */
export function realWorkerOptions(root: string, bundle: Bundle): V4WorkerOptions {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml"));
  // modulesRules only matter to Miniflare's own module discovery; the bundle lists its modules itself.
  const { assets: _assets, modulesRules, bindings, ...rest } = workerOptions;
  // Secrets come from .dev.vars (read by wrangler above) when it exists; any it
  // lacks come from .dev.vars.example, so the page does not depend on a local file.
  const example = path.join(root, ".dev.vars.example");
  const secrets = Object.fromEntries(parseDevVars(existsSync(example) ? readFileSync(example, "utf8") : ""));
  // (SourcelessWorkerOptions is an Omit<> over an index signature: its fields are typed unknown.)
  const vars = (bindings ?? {}) as Record<string, Json>;
  return { ...rest, bindings: { ...secrets, ...vars }, modules: bundleModules(bundle, configuredModuleTypes(modulesRules)), modulesRoot: bundle.dir };
}

/** Module types of the files wrangler writes beside the main module (as its default module rules). */
const MODULE_TYPES: [RegExp, V4ModuleDefinition["type"]][] = [
  [/\.m?js$/, "ESModule"],
  [/\.cjs$/, "CommonJS"],
  [/\.(txt|html|sql)$/, "Text"],
  [/\.bin$/, "Data"],
  [/\.wasm$/, "CompiledWasm"],
];

type ModuleRule = { type: V4ModuleDefinition["type"]; include: string[] };

/**
 * wrangler.toml's [[rules]] (the stylesheet and the comment form's script are
 * Text), as patterns on the names wrangler gives those files: "<hash>-<name>".
 * Only the glob's last segment counts, which is what wrangler matched on.
 */
function configuredModuleTypes(rules: unknown): [RegExp, V4ModuleDefinition["type"]][] {
  return ((rules ?? []) as ModuleRule[]).flatMap((rule) =>
    rule.include.map((glob): [RegExp, V4ModuleDefinition["type"]] => {
      const name = (glob.split("/").pop() ?? glob).replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*");
      return [new RegExp(`(^|-)${name}$`), rule.type];
    }),
  );
}

/** The bundle's modules, main module first; source maps and wrangler's README are not modules. */
function bundleModules(bundle: Bundle, configured: [RegExp, V4ModuleDefinition["type"]][]): V4ModuleDefinition[] {
  const others = bundle.files.filter((f) => path.join(bundle.dir, f) !== bundle.mainPath && !/\.map$|^README\.md$/.test(f));
  return [path.basename(bundle.mainPath), ...others].map((file) => {
    const type = [...configured, ...MODULE_TYPES].find(([pattern]) => pattern.test(file))?.[1];
    if (type === undefined) throw new Error(`bundle file ${file}: unknown module type`);
    return { type, path: path.join(bundle.dir, file) };
  });
}

/** Options for a Worker given as one ES module, with any further options (bindings) given. */
export function scriptWorkerOptions(script: string, compatibilityDate: string | undefined, extra: Partial<V4WorkerOptions> = {}): V4WorkerOptions {
  return { ...extra, modules: true, script, ...(compatibilityDate === undefined ? {} : { compatibilityDate }) } as V4WorkerOptions;
}

/** A text binding (var or secret) of a Worker's options; throws when it is missing. */
export function textBinding(worker: V4WorkerOptions, name: string): string {
  const value = ((worker.bindings ?? {}) as Record<string, Json>)[name];
  if (typeof value !== "string") throw new Error(`the Worker has no text binding ${name}`);
  return value;
}
