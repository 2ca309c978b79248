// `npm run dev`: the blog as `npm start` serves it, plus a watch on the
// content directory. A saved file is validated and republished into the
// local D1 at once and open pages reload; a broken file's file:line message
// is printed here and shown on the page instead of the article.
//
//   npm run dev -- [--content DIR] [--persist-to DIR] [-c FILE] [other wrangler dev flags]
import path from "node:path";
import { openLocalD1 } from "./dev/dev-d1";
import { startDevEvents } from "./dev/dev-events";
import { createOutputFilter, pipeFiltered } from "./dev/dev-output";
import { watchContent } from "./dev/dev-watch";
import { LOCAL_ONLY, parsePort, prepareLocalBlog, spawnWranglerDev, takeContentFlag } from "./lib/local-blog";
import { describeLocalAddress, readLocalSiteUrl } from "./lib/site-url";
import { takeTargetFlags } from "./lib/target-flags";
import { terminalIo } from "./lib/terminal-io";

async function main(argv: string[]): Promise<number> {
  const port = parsePort(process.env.PORT);
  const flags = takeTargetFlags(argv, LOCAL_ONLY);
  const content = typeof flags === "string" ? flags : takeContentFlag(flags.rest);
  if (typeof flags === "string" || typeof content === "string") {
    terminalIo.err(typeof flags === "string" ? flags : String(content));
    return 2;
  }
  const { contentDir } = content;
  const target = { ...flags.target, ...(flags.target.persistTo ? { persistTo: path.resolve(flags.target.persistTo) } : {}) };
  const published = await prepareLocalBlog(target, terminalIo, contentDir);
  if (published !== 0) return published;
  // The event server answers the blog's own pages: its port, or SITE_URL as wrangler dev gets it (environment, then .dev.vars).
  const siteUrl = await readLocalSiteUrl(process.env, target.config);
  const events = await startDevEvents({ port, siteUrl });
  const runner = await openLocalD1(target);
  const stopWatching = watchContent({ contentDir, target, runner, events, io: terminalIo });
  terminalIo.out(`\nStarting the blog on ${describeLocalAddress(siteUrl, port)}; watching ${path.relative(process.cwd(), contentDir) || "."}/ for changes\n`);
  // Only with this var does the layout link the reload script and the CSP allow the event server.
  const dev = await spawnWranglerDev({ port, target, args: ["--var", `DEV_RELOAD_URL:${events.url}`, ...content.rest], pipe: true });
  const keep = createOutputFilter();
  if (dev.stdout) pipeFiltered(dev.stdout, process.stdout, keep);
  if (dev.stderr) pipeFiltered(dev.stderr, process.stderr, keep);
  const code = await new Promise<number>((resolve) => dev.on("close", (c) => resolve(c ?? 0)));
  stopWatching();
  await Promise.allSettled([events.close(), runner.close()]);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    terminalIo.err(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
