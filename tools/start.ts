// `npm start`: the blog on http://localhost:8787 (PORT) with the sample
// content, from a fresh clone. Creates .dev.vars from .dev.vars.example when it
// is missing, applies the local migrations, publishes content/ into the local
// D1 with the same command editors use, then runs `wrangler dev`.
//
//   npm start -- [--persist-to DIR] [other wrangler dev flags]
import { consoleIo, parsePort, prepareLocalBlog, spawnWranglerDev, takeFlag } from "./lib/local-blog";

async function main(argv: string[]): Promise<number> {
  const port = parsePort(process.env.PORT);
  // --persist-to DIR is for every step (migrations, publish, wrangler dev); the rest goes to wrangler dev.
  const { value: persistTo, rest } = takeFlag(argv, "--persist-to");
  const published = await prepareLocalBlog({ persistTo }, consoleIo);
  if (published !== 0) return published;
  console.log(`\nStarting the blog on http://localhost:${port} (admin: http://localhost:${port}/admin)\n`);
  const dev = await spawnWranglerDev({ port, persistTo, args: rest });
  return new Promise((resolve) => dev.on("close", (code) => resolve(code ?? 0)));
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
