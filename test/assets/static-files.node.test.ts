// The files under content/ (images, the favicon) are served by Workers Static
// Assets without running the Worker, so its security headers do not reach
// them: content/_headers adds them, and wrangler's local runtime applies it
// as Cloudflare does. Served here from a folder of this test's own, with the
// project's _headers beside a probe image.
import { copyFile, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { HSTS } from "../../src/lib/http";

const ROOT = path.resolve(import.meta.dirname, "../..");
const PROBE = '<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>';

let tmp = "";
let worker: Awaited<ReturnType<typeof unstable_startWorker>> | undefined;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "static-assets-"));
  const assets = path.join(tmp, "content");
  await mkdir(path.join(assets, "media"), { recursive: true });
  await copyFile(path.join(ROOT, "content", "_headers"), path.join(assets, "_headers"));
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
