// The files under content/ (images, the favicon) are served by Workers Static
// Assets without running the Worker, so its security headers do not reach
// them: a _headers file beside them adds them (content/_headers ships one),
// and wrangler's local runtime applies it as Cloudflare does. Served here from
// a folder of this test's own, with its own _headers (the rules content/_headers
// ships) beside a probe image: the repository's content/ is the site's, and
// may hold anything.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { HSTS } from "../../src/lib/http";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PROBE = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';
const HEADERS = [
  "/*",
  `  Strict-Transport-Security: ${HSTS}`,
  "  X-Content-Type-Options: nosniff",
  "  Referrer-Policy: strict-origin-when-cross-origin",
  "  Content-Security-Policy: default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'",
  "",
].join("\n");

let tmp = "";
let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "static-assets-"));
  const assets = path.join(tmp, "content");
  await mkdir(path.join(assets, "media"), { recursive: true });
  await writeFile(path.join(assets, "_headers"), HEADERS);
  await writeFile(path.join(assets, "media", "probe.svg"), PROBE);
  worker = await unstable_startWorker({
    config: path.join(ROOT, "wrangler.toml"),
    assets: assets,
    dev: { persist: path.join(tmp, "state"), server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
  } as Parameters<typeof unstable_startWorker>[0]);
});

afterAll(async () => {
  await worker?.dispose();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("static files under content/", () => {
  it("carry HSTS as the Worker's pages do, and the other security headers", async () => {
    const res = await worker?.fetch("https://blog.test/media/probe.svg");
    expect(res?.status).toBe(200);
    expect(await res?.text()).toBe(PROBE);
    expect(res?.headers.get("strict-transport-security")).toBe(HSTS);
    expect(res?.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res?.headers.get("content-security-policy")).toContain("default-src 'none'");
  });
});
