// Settings of a bench script: a --flag or an environment variable, else a default.

/** A number from `--flag=N` (parsed by node:util parseArgs) or the environment variable `env`, at least `min`. */
export function numberSetting(flag: string | undefined, env: string, fallback: number, min: number, flagName?: string): number {
  const raw = flag ?? process.env[env];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) {
    throw new Error(`${env} / --${flagName ?? env.replace(/^BENCH_/, "").toLowerCase()} must be a number >= ${min}, got "${raw}"`);
  }
  return n;
}
