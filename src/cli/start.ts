// `npm start`: the blog on http://localhost:8787 (PORT) with the sample
// content, from a fresh clone. Creates .dev.vars from .dev.vars.example when it
// is missing, applies the local migrations, publishes content/ into the local
// D1 with the same command editors use, then runs `wrangler dev`.
import { spawn } from "node:child_process";
import { access, copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { runPublish } from "./publish-command";
import { applyMigrations } from "./wrangler";

const ROOT = path.resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const WRANGLER_BIN = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return 8787;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number (1-65535), got "${value}"`);
  return port;
}

async function main(): Promise<number> {
  process.chdir(ROOT);
  const port = parsePort(process.env.PORT);
  if (!(await exists(".dev.vars"))) {
    await copyFile(".dev.vars.example", ".dev.vars");
    console.log("Created .dev.vars from .dev.vars.example (local secrets; the admin token is in it).");
  }
  console.log("Applying the D1 migrations to the local database…");
  await applyMigrations({ remote: false });
  console.log("Publishing content/ into the local database…");
  const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l), confirm: async () => true };
  const published = await runPublish(["--local", "--yes"], io);
  if (published !== 0) return published;
  console.log(`\nStarting the blog on http://localhost:${port} (admin: http://localhost:${port}/admin)\n`);
  const env = { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" };
  const dev = spawn(process.execPath, [WRANGLER_BIN, "dev", "--port", String(port)], { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  return new Promise((resolve) => dev.on("close", (code) => resolve(code ?? 0)));
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
