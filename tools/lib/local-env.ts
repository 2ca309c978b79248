// The local Worker's bindings and vars, held open in this process by
// wrangler's platform proxy: the same D1 state `wrangler dev` and `wrangler d1
// execute --local` use (found beside the wrangler configuration, or under
// --persist-to DIR, which is DIR/v3 to Miniflare as wrangler maps it), and the
// vars of wrangler.toml and .dev.vars. Domain code from src/ then runs here on
// env.DB exactly as it runs in the Worker.
import path from "node:path";

export interface LocalEnv {
  env: Env;
  /** Stops the proxy; call it when done, or the process stays alive. */
  dispose(): Promise<void>;
}

/**
 * Opens the local bindings of the wrangler configuration `config` (default:
 * found from the working directory). `quiet` keeps wrangler's notes ("Using
 * secrets defined in .dev.vars") off stdout, for a command whose output is
 * data (JSON to redirect into a file); its warnings and errors still show.
 */
export async function openLocalEnv(opts: { persistTo?: string; config?: string; quiet?: boolean }): Promise<LocalEnv> {
  if (opts.quiet) process.env.WRANGLER_LOG ??= "warn";
  const persist = opts.persistTo ? { path: path.join(path.resolve(opts.persistTo), "v3") } : true;
  // Loaded when needed: wrangler takes seconds to import, which a usage error should not wait for.
  const { getPlatformProxy } = await import("wrangler");
  const proxy = await getPlatformProxy<Env>({ configPath: opts.config, persist, remoteBindings: false });
  return { env: proxy.env, dispose: () => proxy.dispose() };
}
