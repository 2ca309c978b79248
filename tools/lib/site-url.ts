// The blog's address as the tools print it (preview links, the start and dev
// banners) and call it (purges and moderation through the deployed Worker).
// Locally the blog runs on http://localhost:PORT, whatever wrangler.toml's
// SITE_URL says for the deployed site; a SITE_URL set in the environment (or,
// locally, in .dev.vars, which wrangler dev reads too) wins everywhere.
import { readFile } from "node:fs/promises";
import { parseSiteVars } from "../../src/config";
import { type D1Target, readSourceSettings } from "./wrangler";

type Vars = Record<string, string | undefined>;

/** The local port: PORT, else 8787 as wrangler dev's own default. */
export function parsePort(value: string | undefined): number {
  if (value === undefined || value === "") return 8787;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number (1-65535), got "${value}"`);
  return port;
}

export interface LocalSiteUrl {
  url: string;
  /** Where it came from: wrangler dev is told only when .dev.vars does not tell it already. */
  from: "environment" | ".dev.vars" | "PORT";
}

/** The local blog's address: SITE_URL from the environment or .dev.vars when set there, else http://localhost:PORT. */
export async function readLocalSiteUrl(env: Vars = process.env, config?: string): Promise<LocalSiteUrl> {
  if (env.SITE_URL) return { url: await normalizeSiteUrl(env.SITE_URL, "the environment", config), from: "environment" };
  const devVars = await readFile(".dev.vars", "utf8").catch(() => "");
  const fromFile = /^\s*(?:export\s+)?SITE_URL\s*=\s*"?([^"\n]*?)"?\s*$/m.exec(devVars)?.[1];
  if (fromFile) return { url: await normalizeSiteUrl(fromFile, ".dev.vars", config), from: ".dev.vars" };
  return { url: `http://localhost:${parsePort(env.PORT)}`, from: "PORT" };
}

/** The local address for a banner, and the port wrangler dev listens on when SITE_URL names another. */
export function describeLocalAddress(url: string, port: number): string {
  const served = `http://localhost:${port}`;
  return url === served ? url : `${url} (served on ${served})`;
}

/** The address of the blog whose D1 the command works on: the local one, or the deployed one (SITE_URL). */
export async function siteUrlFor(target: Pick<D1Target, "remote" | "config">, env: Vars = process.env): Promise<string> {
  if (!target.remote) return (await readLocalSiteUrl(env, target.config)).url;
  const url = env.SITE_URL ? await normalizeSiteUrl(env.SITE_URL, "the environment", target.config) : (await readSourceSettings(target.config)).siteUrl;
  // wrangler.toml ships with the local address: a link to it would reach nobody but the editor.
  if (LOOPBACK.test(new URL(url).hostname))
    throw new Error(
      `SITE_URL is ${url}, a local address, but --remote works on the deployed blog: set its address as SITE_URL in wrangler.toml [vars] or in the environment (SITE_URL=https://… npm run …).`,
    );
  return url;
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** The value checked and shaped by the Worker's own parser (no trailing slash), so the tools and the Worker agree. */
async function normalizeSiteUrl(value: string, where: string, config?: string): Promise<string> {
  try {
    return parseSiteVars({ ...(await readConfigVars(config)), SITE_URL: value }).url;
  } catch (error) {
    throw new Error(`SITE_URL from ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

async function readConfigVars(config?: string): Promise<Record<string, unknown>> {
  const { unstable_readConfig } = await import("wrangler");
  return unstable_readConfig({ config }, { hideWarnings: true }).vars ?? {};
}
