// `npm start`: the blog on http://localhost:8787 (PORT) with the sample
// content, from a fresh clone. Creates .dev.vars from .dev.vars.example when it
// is missing, applies the local migrations, publishes content/ into the local
// D1 with the same command editors use, then runs `wrangler dev`.
//
//   npm start -- [--content DIR] [--persist-to DIR] [-c FILE] [other wrangler dev flags]
import { LOCAL_ONLY, parsePort, prepareLocalBlog, spawnWranglerDev, takeContentFlag } from "./lib/local-blog";
import { describeLocalAddress, readLocalSiteUrl } from "./lib/site-url";
import { takeTargetFlags } from "./lib/target-flags";
import { terminalIo } from "./lib/terminal-io";

async function main(argv: string[]): Promise<number> {
  const port = parsePort(process.env.PORT);
  // The target flags are for every step (migrations, publish, wrangler dev); the rest goes to wrangler dev.
  const flags = takeTargetFlags(argv, LOCAL_ONLY);
  const content = typeof flags === "string" ? flags : takeContentFlag(flags.rest);
  if (typeof flags === "string" || typeof content === "string") {
    terminalIo.err(typeof flags === "string" ? flags : String(content));
    return 2;
  }
  const published = await prepareLocalBlog(flags.target, terminalIo, content.contentDir);
  if (published !== 0) return published;
  const url = await readLocalSiteUrl(process.env, flags.target.config);
  terminalIo.out(`\nStarting the blog on ${describeLocalAddress(url, port)} (admin: ${url}/admin)\n`);
  const dev = await spawnWranglerDev({ port, target: flags.target, args: content.rest });
  return new Promise((resolve) => dev.on("close", (code) => resolve(code ?? 0)));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    terminalIo.err(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
