// `npm run dev`: the blog as `npm start` serves it, plus a watch on the
// content directory. A saved file is validated and republished into the
// local D1 at once and open pages reload; a broken file's file:line message
// is printed here and shown on the page instead of the article.
//
//   npm run dev -- [--content DIR] [--persist-to DIR] [other wrangler dev flags]
import path from "node:path";
import { openLocalD1 } from "./dev/dev-d1";
import { startDevEvents } from "./dev/dev-events";
import { createOutputFilter, pipeFiltered } from "./dev/dev-output";
import { watchContent } from "./dev/dev-watch";
import { consoleIo, prepareLocalBlog, spawnWranglerDev, takeFlag } from "./lib/local-blog";
import { describeLocalAddress, parsePort, readLocalSiteUrl } from "./lib/site-url";

async function main(argv: string[]): Promise<number> {
  const port = parsePort(process.env.PORT);
  const persist = takeFlag(argv, "--persist-to");
  const content = takeFlag(persist.rest, "--content");
  const contentDir = path.resolve(content.value ?? "content");
  const persistTo = persist.value && path.resolve(persist.value);
  const published = await prepareLocalBlog({ persistTo, contentDir }, consoleIo);
  if (published !== 0) return published;
  // The blog's address as wrangler dev gets it (SITE_URL from the environment or .dev.vars, else PORT).
  const { url } = await readLocalSiteUrl();
  const events = await startDevEvents({ port, siteUrl: url });
  const runner = await openLocalD1({ persistTo });
  const stopWatching = watchContent({ contentDir, persistTo, runner, events, io: consoleIo });
  console.log(`\nStarting the blog on ${describeLocalAddress(url, port)}; watching ${path.relative(process.cwd(), contentDir) || "."}/ for changes\n`);
  // Only with this var does the layout link the reload script and the CSP allow the event server.
  const dev = await spawnWranglerDev({ port, persistTo, args: ["--var", `DEV_RELOAD_URL:${events.url}`, ...content.rest], pipe: true });
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
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
