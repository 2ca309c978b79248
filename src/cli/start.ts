// `npm start`: the blog on http://localhost:8787 (PORT) with the sample
// content, from a fresh clone. Creates .dev.vars from .dev.vars.example when it
// is missing, applies the local migrations, publishes content/ into the local
// D1 with the same command editors use, then runs `wrangler dev`.
//
//   npm start -- [--persist-to DIR] [other wrangler dev flags]
import { spawn } from "node:child_process";
import { access, copyFile, readFile } from "node:fs/promises";
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

/**
 * Locally SITE_URL follows PORT, so canonical links, feeds, the sitemap and
 * robots.txt name the port the blog really runs on; a SITE_URL set in the
 * environment or in .dev.vars is taken as it is.
 */
async function siteUrlArgs(port: number): Promise<string[]> {
  if (process.env.SITE_URL) return ["--var", `SITE_URL:${process.env.SITE_URL}`];
  const devVars = await readFile(".dev.vars", "utf8").catch(() => "");
  if (/^\s*(?:export\s+)?SITE_URL\s*=/m.test(devVars)) return [];
  return ["--var", `SITE_URL:http://localhost:${port}`];
}

/** --persist-to DIR is for every step (migrations, publish, wrangler dev); the rest goes to wrangler dev. */
function splitArgs(argv: string[]): { persistTo?: string; devArgs: string[] } {
  const at = argv.findIndex((arg) => arg === "--persist-to" || arg.startsWith("--persist-to="));
  if (at < 0) return { devArgs: argv };
  const [flag = "", value] = argv[at]?.split(/=(.*)/s) ?? [];
  const persistTo = value ?? argv[at + 1];
  if (!persistTo) throw new Error(`${flag} needs a directory`);
  return { persistTo, devArgs: argv.filter((_, i) => i !== at && (value !== undefined || i !== at + 1)) };
}

async function main(argv: string[]): Promise<number> {
  process.chdir(ROOT);
  const port = parsePort(process.env.PORT);
  const { persistTo, devArgs } = splitArgs(argv);
  const persist = persistTo ? ["--persist-to", persistTo] : [];
  if (!(await exists(".dev.vars"))) {
    await copyFile(".dev.vars.example", ".dev.vars");
    console.log("Created .dev.vars from .dev.vars.example (local secrets; the admin token is in it).");
  }
  console.log("Applying the D1 migrations to the local database…");
  await applyMigrations({ remote: false, persistTo });
  console.log("Publishing content/ into the local database…");
  const io = { out: (l: string) => console.log(l), err: (l: string) => console.error(l), confirm: async () => true };
  const published = await runPublish(["--local", "--yes", ...persist], io);
  if (published !== 0) return published;
  console.log(`\nStarting the blog on http://localhost:${port} (admin: http://localhost:${port}/admin)\n`);
  const env = { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" };
  const args = [WRANGLER_BIN, "dev", "--port", String(port), ...persist, ...(await siteUrlArgs(port)), ...devArgs];
  const dev = spawn(process.execPath, args, { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  return new Promise((resolve) => dev.on("close", (code) => resolve(code ?? 0)));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
