// `npm run dev`: a saved file is republished and served within two
// seconds, the open page's event stream says to reload, and a broken file's
// file:line message reaches the terminal and the page's event stream. Runs
// tools/dev.ts as `npm run dev` does, with its own content and local D1.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../browser/support/dev-server";
import { childEnv, type StartedProcess, startNode } from "../../browser/support/processes";

const require = createRequire(import.meta.url);
const TSX_CLI = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");

let tmp = "";
let file = "";
let started: StartedProcess | undefined;
let origin = "";

const article = (body: string, extra = "") => `---\ntitle: Probe\n${extra}date: 2020-01-01\n---\n\n${body}\n`;

async function getPage(): Promise<{ status: number; text: string; csp: string | null }> {
  const res = await fetch(`${origin}/articles/probe`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text(), csp: res.headers.get("Content-Security-Policy") };
}

/** Collects what an event stream sends until it is aborted. */
function listen(url: string): { text: () => string; stop: () => void } {
  const controller = new AbortController();
  let text = "";
  void fetch(url, { signal: controller.signal })
    .then(async (res) => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) text += decoder.decode(chunk, { stream: true });
    })
    .catch(() => {});
  return { text: () => text, stop: () => controller.abort() };
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started?.hasExited()) throw new Error(`npm run dev exited:\n${started.output}`);
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await delay(50);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms:\n${started?.output}`);
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "dev-watch-"));
  const content = path.join(tmp, "content");
  await mkdir(content);
  file = path.join(content, "probe.md");
  await writeFile(file, article("First text of the probe."));
  const [port, inspectorPort] = [await freePort(), await freePort()];
  origin = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...childEnv(tmp), PORT: String(port) };
  const args = ["--persist-to", path.join(tmp, "d1"), "--content", content, "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)];
  started = startNode([TSX_CLI, "tools/dev.ts", ...args, "--show-interactive-dev-session=false"], env);
  await until("the first page", 150_000, async () => ((await getPage()).status === 200 ? true : null));
}, 180_000);

afterAll(async () => {
  await started?.stop();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run dev", () => {
  it("serves a saved file within two seconds and tells the open page to reload", async () => {
    const first = await getPage();
    const events = /<script src="\/assets\/dev-reload\.[a-z0-9]+\.js" data-events="(http:\/\/localhost:\d+\/events)"/.exec(first.text)?.[1];
    expect(events).toBeDefined();
    // The reload script may reach the event server, and only it.
    expect(first.csp).toContain(`connect-src ${new URL(events ?? "").origin}`);
    const stream = listen(events ?? "");
    await delay(300);
    const savedAt = Date.now();
    await writeFile(file, article("Second text, saved while the page was open."));
    await until("the new text", 2_000, async () => ((await getPage()).text.includes("Second text, saved") ? true : null));
    expect(Date.now() - savedAt).toBeLessThan(2_000);
    await until("the reload event", 2_000, async () => (stream.text().includes("event: reload") ? true : null));
    stream.stop();
  });

  it("reports a broken file as file:line in the terminal and on the page's event stream", async () => {
    const stream = listen((/data-events="([^"]+)"/.exec((await getPage()).text) ?? [])[1] ?? "");
    await delay(300);
    await writeFile(file, article("Text.", "titel: Tippfehler\n"));
    // The event carries the lines as JSON, where the quotes around "title" are escaped.
    const message = "probe.md:3: titel: unknown field; did you mean";
    await until("the problem in the terminal", 3_000, async () => (started?.output.toString().includes(message) ? true : null));
    await until("the problem event", 3_000, async () => (stream.text().includes("event: problem") && stream.text().includes(message) ? true : null));
    stream.stop();
    // A page opened while the file is broken learns of it at once.
    const late = listen((/data-events="([^"]+)"/.exec((await getPage()).text) ?? [])[1] ?? "");
    await until("the problem for a new page", 2_000, async () => (late.text().includes(message) ? true : null));
    late.stop();
    // The stored article stays as it was.
    expect((await getPage()).text).toContain("Second text, saved");
    // Wrangler's bindings table is printed once, not once per start of a Miniflare.
    expect(started?.output.toString().match(/following bindings/g)?.length ?? 0).toBeLessThanOrEqual(1);
  });
});
