// `PORT=… npm start`: every absolute URL the blog writes, and the address the
// banner prints, follow the port it really runs on, unless SITE_URL is set
// explicitly. Runs tools/start.ts as `npm start` does, with its own content
// folder (published, its media served) and local D1 directory.
import { mkdtemp, rm } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../browser/support/dev-server";
import { childEnv, type StartedProcess, startNode } from "../browser/support/processes";
import { COMMENTABLE_ARTICLE, TEST_IMAGE, writeSiteContent } from "../browser/support/site-content";

const require = createRequire(import.meta.url);
const TSX_CLI = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");
const SLUG = COMMENTABLE_ARTICLE.slug;

let tmp = "";
let started: StartedProcess | undefined;
let port = 0;

async function waitFor(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started?.hasExited()) throw new Error(`npm start exited (${await started.exited}):\n${started.output}`);
    const status = await fetch(url, { signal: AbortSignal.timeout(5_000) }).then(
      async (r) => {
        await r.arrayBuffer();
        return r.status;
      },
      () => 0,
    );
    if (status === 200) return;
    await delay(300);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs / 1000} s:\n${started?.output}`);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "start-port-"));
  port = await freePort();
  const inspectorPort = await freePort();
  // No SITE_URL from the environment running the tests: this is the case of a SITE_URL that follows PORT.
  const env: Record<string, string | undefined> = { ...childEnv(tmp), PORT: String(port) };
  delete env.SITE_URL;
  const content = await writeSiteContent(path.join(tmp, "content"), [COMMENTABLE_ARTICLE]);
  const args = [
    ...["--persist-to", path.join(tmp, "d1"), "--content", content, "--assets", content],
    ...["--ip", "127.0.0.1", "--inspector-port", String(inspectorPort), "--show-interactive-dev-session=false"],
  ];
  started = startNode([TSX_CLI, "tools/start.ts", ...args], env as NodeJS.ProcessEnv);
  await waitFor(`http://127.0.0.1:${port}/robots.txt`, 150_000);
}, 180_000);

afterAll(async () => {
  await started?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm start on another port", () => {
  it("writes that port into canonical links, Open Graph, JSON-LD, feeds and robots.txt", async () => {
    const origin = `http://localhost:${port}`;
    expect(port).not.toBe(8787);
    const html = await (await fetch(`http://127.0.0.1:${port}/articles/${SLUG}`)).text();
    expect(html).toContain(`<link rel="canonical" href="${origin}/articles/${SLUG}"/>`);
    expect(html).toContain(`content="${origin}/articles/${SLUG}"`);
    expect(html).toContain(`"url":"${origin}/articles/${SLUG}"`);
    expect(html).not.toContain("localhost:8787");
    const robots = await (await fetch(`http://127.0.0.1:${port}/robots.txt`)).text();
    expect(robots).toContain(`Sitemap: ${origin}/sitemap.xml`);
    const feed = await (await fetch(`http://127.0.0.1:${port}/feed.xml`)).text();
    expect(feed).toContain(`${origin}/articles/${SLUG}`);
    expect(feed).not.toContain("localhost:8787");
    // The banner names the same address, and the article's picture comes from this content folder.
    expect(started?.output.toString()).toContain(`Starting the blog on ${origin} (admin: ${origin}/admin)`);
    expect((await fetch(`http://127.0.0.1:${port}/${TEST_IMAGE.path}`)).status).toBe(200);
  });
});
