// The blog's address as the tools print it (preview links, the start and dev
// banners) and call it (moderation through the deployed Worker). Locally the
// blog runs on http://localhost:PORT, whatever wrangler.toml's SITE_URL says
// for the deployed site, unless SITE_URL is set in the environment or in
// .dev.vars (as wrangler dev is told: tools/lib/local-blog.ts). Remotely it is
// the SITE_URL the deployed Worker has, from the wrangler configuration.
import { parseSiteVars } from "../../src/config";
import { readDevVars } from "./dev-vars";
import { parsePort } from "./local-blog";
import { checkRemoteSiteUrl } from "./remote-site";
import { type D1Target, readSourceSettings } from "./wrangler";

type Vars = Record<string, string | undefined>;

/** The local blog's address: SITE_URL from the environment or .dev.vars when set there, else http://localhost:PORT. */
export async function readLocalSiteUrl(env: Vars = process.env, config?: string): Promise<string> {
  if (env.SITE_URL) return normalizeSiteUrl(env.SITE_URL, "the environment", config);
  const fromFile = (await readDevVars(config)).get("SITE_URL");
  if (fromFile) return normalizeSiteUrl(fromFile, ".dev.vars", config);
  return `http://localhost:${parsePort(env.PORT)}`;
}

/** The local address for a banner, and the port wrangler dev listens on when SITE_URL names another. */
export function describeLocalAddress(url: string, port: number): string {
  const served = `http://localhost:${port}`;
  return url === served ? url : `${url} (served on ${served})`;
}

/** The address of the blog whose D1 the command works on: the local one, or the deployed one (refused while it is a local address). */
export async function siteUrlFor(target: Pick<D1Target, "remote" | "config">, env: Vars = process.env): Promise<string> {
  if (!target.remote) return readLocalSiteUrl(env, target.config);
  const { siteUrl } = await readSourceSettings(target.config);
  const refused = checkRemoteSiteUrl(siteUrl, target.config ?? "wrangler.toml");
  if (refused) throw new Error(refused);
  return siteUrl;
}

/** The value checked and shaped by the Worker's own parser (no trailing slash), so the tools and the Worker agree. */
async function normalizeSiteUrl(value: string, where: string, config?: string): Promise<string> {
  const { unstable_readConfig } = await import("wrangler");
  const vars: Record<string, unknown> = unstable_readConfig({ config }, { hideWarnings: true }).vars ?? {};
  try {
    return parseSiteVars({ ...vars, SITE_URL: value }).url;
  } catch (error) {
    throw new Error(`SITE_URL from ${where}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
