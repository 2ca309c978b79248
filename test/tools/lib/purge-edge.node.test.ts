// A remote publish's purge as the CLI sends it, to a local stand-in that
// records each request the way the deployed Worker's endpoint would take it
// (at most 1,000 tags and 64 KB). The articles are published with the real
// wrangler into a local D1; only the purge goes to the stand-in. SITE_URL is
// a public https address, as a remote publish requires: fetch forwards its
// requests to the stand-in on this machine.
import { mkdir, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { countPurgeCalls } from "../../../src/cache/purge";
import { PURGE_API_MAX_BODY_BYTES, PURGE_API_MAX_TAGS, PURGE_BURST_CALLS } from "../../../src/db/limits";
import type { CliIo } from "../../../tools/lib/terminal-io";
import { type D1Target, queryD1, wranglerRunner } from "../../../tools/lib/wrangler";
import { runPublish } from "../../../tools/publish/publish-command";
import { createWorkspace } from "../helpers/workspace";

const TOKEN = "stand-in-admin-token-0123456789";
const SITE_URL = "https://blog.example.com";
const ARTICLES = 2_000;

interface Recorded {
  authorization: string | undefined;
  bytes: number;
  body: { tags?: string[]; everything?: true };
}

let tmp = "";
let content = "";
let target: D1Target = { remote: false };
let config = "";
let server: Server;
const recorded: Recorded[] = [];

/** The purge endpoint's contract, as the Worker keeps it; every request is recorded. */
function startStandIn(): Promise<string> {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const answer = (status: number, body: unknown) => res.writeHead(status, { "Content-Type": "application/json" }).end(JSON.stringify(body));
      if (req.method !== "POST" || req.url !== "/admin/api/cache/purge") return answer(404, { error: "not found" });
      const body = JSON.parse(raw.toString("utf8")) as Recorded["body"];
      recorded.push({ authorization: req.headers.authorization, bytes: raw.length, body });
      if (raw.length > PURGE_API_MAX_BODY_BYTES) return answer(413, { error: "body too large" });
      if ((body.tags?.length ?? 0) > PURGE_API_MAX_TAGS) return answer(422, { error: "tags: too many" });
      answer(200, { purged: true, tags: body.tags ?? [], everything: body.everything === true, failedCalls: 0 });
    });
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

async function publish(args: string[], remote: boolean) {
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(`ERR ${l}`), confirm: async () => null };
  // The deployed D1 is this local one; the site (SITE_URL in the configuration) is the stand-in.
  const flags = remote ? ["--remote", "-c", config] : ["--local", "--persist-to", target.persistTo ?? ""];
  const code = await runPublish([...flags, "--content", content, ...args], io, remote ? wranglerRunner(target) : undefined);
  return { code, output: out.join("\n") };
}

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("purge-edge-"));
  const standIn = await startStandIn();
  const realFetch = globalThis.fetch;
  vi.stubGlobal("fetch", (input: string | URL, init?: RequestInit) => realFetch(String(input).replace(SITE_URL, standIn), init));
  config = path.join(tmp, "wrangler.toml");
  await writeFile(
    config,
    `name = "purge-stand-in"\ncompatibility_date = "2026-10-01"\n[vars]\nSITE_TITLE = "Stand-in"\nSITE_DESCRIPTION = ""\nSITE_URL = "${SITE_URL}"\nDEFAULT_LANG = "de"\nSITE_TIMEZONE = "Europe/Berlin"\n`,
  );
  await mkdir(content, { recursive: true });
  await Promise.all(
    Array.from({ length: ARTICLES }, (_, i) => {
      const slug = `artikel-${String(i).padStart(4, "0")}`;
      return writeFile(path.join(content, `${slug}.md`), `---\ntitle: Artikel ${i}\ndate: 2024-01-01\ntags: [Thema ${i % 50}]\n---\n\nText ${i}.\n`);
    }),
  );
  const first = await publish([], false);
  expect(first.code, first.output).toBe(0);
}, 600_000);

afterAll(async () => {
  vi.unstubAllGlobals();
  server?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

/** A renderer upgrade: the first `count` stored articles were rendered by an older version. */
async function ageRenderer(count: number): Promise<void> {
  await queryD1(target, `UPDATE articles SET html_version = 'alt' WHERE id IN (SELECT id FROM articles ORDER BY slug LIMIT ${count})`);
}

describe("npm run publish -- --remote after a renderer upgrade", () => {
  it("sends 1,100 articles' tags in requests the endpoint takes, each tag once, within the purge bucket", async () => {
    recorded.length = 0;
    process.env.ADMIN_TOKEN = TOKEN;
    await ageRenderer(1_100);
    const run = await publish([], true);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain("Published: 0 new, 1100 changed");
    expect(recorded.length).toBe(2);
    for (const request of recorded) {
      expect(request.authorization).toBe(`Bearer ${TOKEN}`);
      expect(request.bytes).toBeLessThanOrEqual(PURGE_API_MAX_BODY_BYTES);
      expect(request.body.tags?.length).toBeLessThanOrEqual(PURGE_API_MAX_TAGS);
    }
    const tags = recorded.flatMap((r) => r.body.tags ?? []);
    expect(new Set(tags).size).toBe(tags.length);
    expect(tags).toContain("a:artikel-1099");
    expect(tags).not.toContain("a:artikel-1100");
    expect(tags.filter((t) => t.startsWith("t:thema-"))).toHaveLength(50);
    expect(recorded.reduce((sum, r) => sum + countPurgeCalls(r.body.tags?.length ?? 0), 0)).toBeLessThanOrEqual(PURGE_BURST_CALLS);
    expect(run.output).toContain(`Purged ${tags.length} cache tag(s) at the edge in 2 requests.`);
  }, 600_000);

  it("purges every cached page in one request when all 2,000 articles changed", async () => {
    recorded.length = 0;
    await ageRenderer(ARTICLES);
    const run = await publish([], true);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`Published: 0 new, ${ARTICLES} changed`);
    expect(recorded.map((r) => r.body)).toEqual([{ everything: true }]);
    expect(run.output).toMatch(/Purged every cached page at the edge: 205\d cache tags/);
    const [rows = []] = await queryD1(target, "SELECT count(*) AS n FROM articles WHERE html_version = 'alt'");
    expect(rows[0]).toEqual({ n: 0 });
    Reflect.deleteProperty(process.env, "ADMIN_TOKEN");
  }, 600_000);
});
