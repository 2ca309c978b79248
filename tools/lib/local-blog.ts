// What `npm start` and `npm run dev` share: the local secrets, the migrated and
// published local D1, and the wrangler dev process with its port and SITE_URL.
import type { ChildProcess } from "node:child_process";
import { access, copyFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { runPublish } from "../publish/publish-command";
import { readDevVars } from "./dev-vars";
import type { TargetRules } from "./target-flags";
import type { CliIo } from "./terminal-io";
import { applyMigrations, type D1Target, spawnWrangler } from "./wrangler";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Why npm start and npm run dev take no --remote: they run the blog locally. */
export const LOCAL_ONLY: TargetRules = {
  remoteUnsupported: "--remote: this command runs the blog on the local D1; use npm run publish -- --remote for the deployed one.",
};

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

export function parsePort(value: string | undefined): number {
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
async function siteUrlArgs(port: number, config?: string): Promise<string[]> {
  if (process.env.SITE_URL) return ["--var", `SITE_URL:${process.env.SITE_URL}`];
  if ((await readDevVars(config)).has("SITE_URL")) return [];
  return ["--var", `SITE_URL:http://localhost:${port}`];
}

/** The flags that point `wrangler dev` (and our own steps) at the target's local state and configuration. */
function localArgs(target: D1Target): string[] {
  return [...(target.persistTo ? ["--persist-to", target.persistTo] : []), ...(target.config ? ["--config", target.config] : [])];
}

/** Takes --content DIR out of argv (npm start and npm run dev): for our own steps, not wrangler dev. */
export function takeContentFlag(argv: string[]): { contentDir: string; rest: string[] } | string {
  const { values, tokens } = parseArgs({ args: argv, options: { content: { type: "string" } }, strict: false, allowPositionals: true, tokens: true });
  const content = values.content ?? "content";
  if (typeof content !== "string" || content === "" || content.startsWith("-")) return "--content needs a directory";
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== "option" || token.name !== "content") continue;
    taken.add(token.index);
    if (!token.inlineValue) taken.add(token.index + 1);
  }
  return { contentDir: path.resolve(content), rest: argv.filter((_, i) => !taken.has(i)) };
}

/** .dev.vars, migrations and a publish of the content directory; resolves to publish's exit code. */
export async function prepareLocalBlog(target: D1Target, io: CliIo, contentDir?: string): Promise<number> {
  process.chdir(ROOT);
  if (!(await exists(".dev.vars"))) {
    await copyFile(".dev.vars.example", ".dev.vars");
    io.out("Created .dev.vars from .dev.vars.example (local secrets; the admin token is in it).");
  }
  io.out("Applying the D1 migrations to the local database…");
  await applyMigrations(target);
  io.out(`Publishing ${contentDir ?? "content"}/ into the local database…`);
  const content = contentDir ? ["--content", contentDir] : [];
  return runPublish(["--local", "--yes", ...localArgs(target), ...content], io);
}

/** Starts `wrangler dev` on the port; `pipe` hands its output to the caller instead of the terminal. */
export async function spawnWranglerDev(opts: { port: number; target: D1Target; args: string[]; pipe?: boolean }): Promise<ChildProcess> {
  const args = ["dev", "--port", String(opts.port), ...localArgs(opts.target), ...(await siteUrlArgs(opts.port, opts.target.config)), ...opts.args];
  const dev = spawnWrangler(args, opts.pipe ? "pipe" : "inherit");
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => dev.kill(signal));
  return dev;
}
