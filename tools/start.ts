// `npm start`: the blog on http://localhost:8787 (PORT) with the sample
// content, from a fresh clone. Creates .dev.vars from .dev.vars.example when it
// is missing, applies the local migrations, publishes content/ into the local
// D1 with the same command editors use, then runs `wrangler dev`.
//
//   npm start -- [--content DIR] [--persist-to DIR] [other wrangler dev flags]
import path from "node:path";
import { consoleIo, prepareLocalBlog, spawnWranglerDev, takeFlag } from "./lib/local-blog";
import { describeLocalAddress, parsePort, readLocalSiteUrl } from "./lib/site-url";

async function main(argv: string[]): Promise<number> {
  const port = parsePort(process.env.PORT);
  // --persist-to DIR is for every step (migrations, publish, wrangler dev); the rest goes to wrangler dev.
  const persist = takeFlag(argv, "--persist-to");
  const content = takeFlag(persist.rest, "--content");
  const persistTo = persist.value && path.resolve(persist.value);
  const contentDir = content.value && path.resolve(content.value);
  const published = await prepareLocalBlog({ persistTo, contentDir }, consoleIo);
  if (published !== 0) return published;
  const { url } = await readLocalSiteUrl();
  console.log(`\nStarting the blog on ${describeLocalAddress(url, port)} (admin: ${url}/admin)\n`);
  const dev = await spawnWranglerDev({ port, persistTo, args: content.rest });
  return new Promise((resolve) => dev.on("close", (code) => resolve(code ?? 0)));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
