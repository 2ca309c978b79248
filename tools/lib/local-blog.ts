// What `npm start` and `npm run dev` share: the local secrets, the migrated and
// published local D1, and the wrangler dev process with its port and SITE_URL.
import { type ChildProcess, spawn } from "node:child_process";
import { access, copyFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { type CliIo, runPublish } from "../publish/publish-command";
import { readLocalSiteUrl } from "./site-url";
import { applyMigrations } from "./wrangler";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const require = createRequire(import.meta.url);
const WRANGLER_BIN = path.join(path.dirname(require.resolve("wrangler/package.json")), "bin", "wrangler.js");

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/**
 * Locally SITE_URL follows PORT, so canonical links, feeds, the sitemap and
 * robots.txt name the port the blog really runs on; a SITE_URL set in the
 * environment is passed on, one in .dev.vars wrangler dev reads itself.
 */
async function siteUrlArgs(): Promise<string[]> {
  const local = await readLocalSiteUrl();
  return local.from === ".dev.vars" ? [] : ["--var", `SITE_URL:${local.url}`];
}

/** Takes `flag DIR` (or `flag=DIR`) out of argv: for our own steps, not wrangler dev. */
export function takeFlag(argv: string[], flag: string): { value?: string; rest: string[] } {
  const at = argv.findIndex((arg) => arg === flag || arg.startsWith(`${flag}=`));
  if (at < 0) return { rest: argv };
  const [, inline] = argv[at]?.split(/=(.*)/s) ?? [];
  const value = inline ?? argv[at + 1];
  if (!value) throw new Error(`${flag} needs a directory`);
  return { value, rest: argv.filter((_, i) => i !== at && (inline !== undefined || i !== at + 1)) };
}

/** .dev.vars, migrations and a publish of the content directory; resolves to publish's exit code. */
export async function prepareLocalBlog(opts: { persistTo?: string; contentDir?: string }, io: CliIo): Promise<number> {
  process.chdir(ROOT);
  if (!(await exists(".dev.vars"))) {
    await copyFile(".dev.vars.example", ".dev.vars");
    io.out("Created .dev.vars from .dev.vars.example (local secrets; the admin token is in it).");
  }
  io.out("Applying the D1 migrations to the local database…");
  await applyMigrations({ remote: false, persistTo: opts.persistTo });
  io.out(`Publishing ${opts.contentDir ?? "content"}/ into the local database…`);
  const persist = opts.persistTo ? ["--persist-to", opts.persistTo] : [];
  const content = opts.contentDir ? ["--content", opts.contentDir] : [];
  return runPublish(["--local", "--yes", ...persist, ...content], io);
}

/** Starts `wrangler dev` on the port; `pipe` hands its output to the caller instead of the terminal. */
export async function spawnWranglerDev(opts: { port: number; persistTo?: string; args: string[]; pipe?: boolean }): Promise<ChildProcess> {
  const env = { ...process.env, WRANGLER_SEND_METRICS: process.env.WRANGLER_SEND_METRICS ?? "false" };
  const persist = opts.persistTo ? ["--persist-to", opts.persistTo] : [];
  const args = [WRANGLER_BIN, "dev", "--port", String(opts.port), ...persist, ...(await siteUrlArgs()), ...opts.args];
  const dev = spawn(process.execPath, args, { stdio: opts.pipe ? ["inherit", "pipe", "pipe"] : "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  return dev;
}

/** The console as the commands' io. */
export const consoleIo: CliIo = { out: (l) => console.log(l), err: (l) => console.error(l), confirm: async () => true };
