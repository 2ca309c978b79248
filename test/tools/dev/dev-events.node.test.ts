// The event server of `npm run dev`: its stream (file names, the lines of a
// broken file) is for the blog's own pages, not for any site open in the browser.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DevEvents, isBlogOrigin, startDevEvents } from "../../../tools/dev/dev-events";

const BLOG_PORT = 8790;
let events: DevEvents;

beforeAll(async () => {
  events = await startDevEvents({ port: BLOG_PORT, siteUrl: "http://blog.test:8443" });
});

afterAll(async () => {
  await events.close();
});

/** Opens the stream with the given Origin (none for a non-browser client) and returns status and headers. */
async function open(origin?: string): Promise<{ status: number; allow: string | null }> {
  const controller = new AbortController();
  const res = await fetch(events.url, { headers: origin ? { Origin: origin } : {}, signal: controller.signal });
  const result = { status: res.status, allow: res.headers.get("access-control-allow-origin") };
  controller.abort();
  return result;
}

describe("the dev event server", () => {
  it("lets the blog's pages read the stream, naming their origin", async () => {
    for (const origin of [`http://localhost:${BLOG_PORT}`, `http://127.0.0.1:${BLOG_PORT}`, `http://[::1]:${BLOG_PORT}`, "http://blog.test:8443"]) {
      expect(await open(origin), origin).toEqual({ status: 200, allow: origin });
    }
    expect(await open()).toEqual({ status: 200, allow: null });
  });

  it("refuses every other origin, and never answers with *", async () => {
    for (const origin of ["https://evil.example", "http://localhost:9999", `https://localhost:${BLOG_PORT}`, `http://evil.example:${BLOG_PORT}`, "null"]) {
      expect(await open(origin), origin).toEqual({ status: 403, allow: null });
    }
  });

  it("takes *.localhost names on the blog's port as the blog, and nothing that only looks like them", () => {
    const blog = { port: BLOG_PORT };
    expect(isBlogOrigin(`http://blog.localhost:${BLOG_PORT}`, blog)).toBe(true);
    expect(isBlogOrigin(`http://localhost.evil.example:${BLOG_PORT}`, blog)).toBe(false);
    expect(isBlogOrigin(`http://127.0.0.1.nip.io:${BLOG_PORT}`, blog)).toBe(false);
    expect(isBlogOrigin(`http://localhost:${BLOG_PORT}/path`, blog)).toBe(false);
  });
});
