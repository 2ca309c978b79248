// Purges within Cloudflare's limits (src/db/limits.ts): the Worker purges at
// most 100 tags a call and no more calls at once than the purge bucket holds;
// the publish command sends the Worker requests of at most 1,000 tags and
// 64 KB. A renderer upgrade of 2,000 articles is published and purged here,
// with the CLI's own purge code talking to the Worker.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { type PurgeContext, purgeEdgeCache } from "../../src/cache/purge";
import { PURGE_API_MAX_BODY_BYTES, PURGE_API_MAX_TAGS, PURGE_BURST_CALLS, PURGE_MAX_TAGS_PER_CALL } from "../../src/db/limits";
import worker from "../../src/index";
import { purgeEdgeAfterPublish } from "../../tools/lib/purge-edge";
import type { ArticleSource } from "../../tools/publish/front-matter";
import { type PublishPlan, planPublish, type StoredState } from "../../tools/publish/publish-plan";
import { listPurgeTags } from "../../tools/publish/publish-purge";
import { buildPublishStatements } from "../../tools/publish/publish-sql";
import { ADMIN_TOKEN } from "../helpers/admin";
import { sourceFor } from "../helpers/article-files";
import { uniqueSlug } from "../helpers/articles";
import { recordingContext } from "../helpers/edge-cache";

const bytes = (text: string) => new TextEncoder().encode(text).length;
const articleTags = (prefix: string, count: number, length = 12) =>
  Array.from({ length: count }, (_, i) => `a:${prefix}-${String(i).padStart(length - prefix.length - 1, "0")}`);

function expectWithinCloudflareLimits(calls: CachePurgeOptions[]): void {
  expect(calls.length).toBeLessThanOrEqual(PURGE_BURST_CALLS);
  for (const call of calls) expect(call.tags?.length ?? 0).toBeLessThanOrEqual(PURGE_MAX_TAGS_PER_CALL);
}

/** The deployed Worker as the CLI reaches it, each request body recorded. */
function deployedWorker(ctx: ExecutionContext) {
  const requests: { bytes: number; body: { tags?: string[]; everything?: boolean } }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const text = String(init?.body ?? "");
    requests.push({ bytes: bytes(text), body: JSON.parse(text) });
    return worker.fetch(new Request(String(input), init), env, ctx);
  };
  return { fetcher, requests };
}

async function postPurge(ctx: ExecutionContext, body: string): Promise<Response> {
  return await worker.fetch(
    new Request("https://blog.test/admin/api/cache/purge", {
      method: "POST",
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Content-Type": "application/json" },
      body,
    }),
    env,
    ctx,
  );
}

describe("the Worker's purge", () => {
  it("names at most 100 tags a call, and repeats each call once after the replica delay", async () => {
    const { ctx, calls, settle } = recordingContext();
    const tags = articleTags("hundert", 1_000);
    const outcome = await purgeEdgeCache(ctx, tags);
    expect(outcome).toMatchObject({ purged: true, everything: false, failedCalls: 0 });
    expect(calls).toHaveLength(10);
    expect(calls.flatMap((c) => c.tags ?? [])).toEqual(tags);
    await settle();
    expect(calls).toHaveLength(20);
    expectWithinCloudflareLimits(calls);
  }, 15_000);

  it("purges every cached page in one call when the tags would need more calls than the purge bucket holds", async () => {
    const { ctx, calls } = recordingContext();
    const outcome = await purgeEdgeCache(ctx, articleTags("viele", 1_300));
    expect(outcome).toMatchObject({ purged: true, everything: true, failedCalls: 0 });
    expect(calls).toEqual([{ purgeEverything: true }]);
  });

  it("counts the calls Cloudflare refuses (its rate limit), and goes on with the rest", async () => {
    const seen: CachePurgeOptions[] = [];
    const ctx: PurgeContext = {
      cache: {
        purge: async (options) => {
          seen.push(options);
          return seen.length % 2 === 0 ? { success: false, errors: [{ code: 429, message: "rate limited" }] } : { success: true, errors: [] };
        },
        invalidate: async () => ({ success: true, errors: [] }),
      },
      waitUntil: () => {},
    };
    const outcome = await purgeEdgeCache(ctx, articleTags("abgelehnt", 450));
    expect(outcome.failedCalls).toBe(2);
    expect(seen).toHaveLength(5);
  });
});

describe("POST /admin/api/cache/purge", () => {
  it("takes at most 1,000 tags and 64 KB, or everything, and refuses the rest naming the field", async () => {
    const { ctx, calls } = recordingContext();
    const full = await postPurge(ctx, JSON.stringify({ tags: articleTags("voll", PURGE_API_MAX_TAGS) }));
    expect(full.status).toBe(200);
    expect(calls).toHaveLength(PURGE_API_MAX_TAGS / PURGE_MAX_TAGS_PER_CALL);

    const tooMany = await postPurge(ctx, JSON.stringify({ tags: articleTags("zuviel", PURGE_API_MAX_TAGS + 1) }));
    expect(tooMany.status).toBe(422);
    expect(JSON.stringify(await tooMany.json())).toContain("must be a list of 1 to 1000 cache tags");

    const long = articleTags("lang", 400, 200);
    expect(bytes(JSON.stringify({ tags: long }))).toBeGreaterThan(PURGE_API_MAX_BODY_BYTES);
    expect((await postPurge(ctx, JSON.stringify({ tags: long }))).status).toBe(413);

    for (const body of [{}, { tags: ["list"], everything: true }, { everything: false }, { everything: "true" }]) {
      expect((await postPurge(ctx, JSON.stringify(body))).status, JSON.stringify(body)).toBe(422);
    }
    expect(calls).toHaveLength(10);

    const everything = await postPurge(ctx, JSON.stringify({ everything: true }));
    expect(everything.status).toBe(200);
    expect(await everything.json()).toMatchObject({ purged: true, everything: true, failedCalls: 0 });
    expect(calls.at(-1)).toEqual({ purgeEverything: true });
  });
});

describe("a publish's purge from the CLI", () => {
  it("goes in requests of at most 1,000 tags and 64 KB, and the Worker purges every tag in calls of at most 100", async () => {
    const cases = [articleTags("kurz", 1_150), articleTags("lang", 450, 200)];
    for (const tags of cases) {
      const { ctx, calls, settle } = recordingContext();
      const { fetcher, requests } = deployedWorker(ctx);
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
      expect(await purgeEdgeAfterPublish(tags, { siteUrl: "https://blog.test", token: ADMIN_TOKEN }, io, fetcher)).toBe(true);
      expect(requests.length).toBeGreaterThan(1);
      for (const request of requests) {
        expect(request.bytes).toBeLessThanOrEqual(PURGE_API_MAX_BODY_BYTES);
        expect(request.body.tags?.length).toBeLessThanOrEqual(PURGE_API_MAX_TAGS);
      }
      expect(requests.flatMap((r) => r.body.tags ?? [])).toEqual(tags);
      expect(new Set(calls.flatMap((c) => c.tags ?? []))).toEqual(new Set(tags));
      expect(out).toEqual([`Purged ${tags.length} cache tag(s) at the edge in ${requests.length} requests.`]);
      await settle();
      expectWithinCloudflareLimits(calls);
    }
  }, 30_000);
});

/** The stored state of the articles whose slug starts with the prefix, as the CLI reads it. */
async function readState(prefix: string): Promise<StoredState> {
  const { results } = await env.DB.prepare(
    "SELECT slug, source_hash AS sourceHash, html_version AS htmlVersion, source_path AS sourcePath, 0 AS commentCount FROM articles WHERE slug LIKE ?",
  )
    .bind(`${prefix}-%`)
    .all<StoredState["articles"][number]>();
  return { articles: results, aliases: [] };
}

async function publish(sources: ArticleSource[], state: StoredState): Promise<PublishPlan> {
  const planned = planPublish(sources, state, { prune: false });
  if (!planned.ok) throw new Error(JSON.stringify(planned.errors));
  for (const file of buildPublishStatements(planned.plan, { now: Date.now() })) await env.DB.batch(file.map((sql) => env.DB.prepare(sql)));
  return planned.plan;
}

/** The renderer changed: every stored article of the prefix (or the first `count`) has an older HTML version. */
async function ageRenderer(prefix: string, count: number): Promise<void> {
  await env.DB.prepare(
    "UPDATE articles SET html_version = 'alt', body_html = '<p>alt</p>' WHERE id IN (SELECT id FROM articles WHERE slug LIKE ? ORDER BY slug LIMIT ?)",
  )
    .bind(`${prefix}-%`, count)
    .run();
}

describe("a renderer upgrade of 2,000 articles", () => {
  it("publishes every article again and purges within the limits: in requests and calls while they fit, else everything at once", async () => {
    const prefix = uniqueSlug("upgrade");
    const sources = await Promise.all(
      Array.from({ length: 2_000 }, (_, i) => sourceFor(`${prefix}-${String(i).padStart(4, "0")}`, [`tags: [Thema ${i % 50}]`], `Artikel ${i}.\n`)),
    );
    await publish(sources, { articles: [], aliases: [] });
    const purgeAfter = async (plan: PublishPlan) => {
      const { ctx, calls, settle } = recordingContext();
      const { fetcher, requests } = deployedWorker(ctx);
      const out: string[] = [];
      const io = { out: (l: string) => out.push(l), err: (l: string) => out.push(`ERR ${l}`) };
      const tags = listPurgeTags(plan);
      expect(await purgeEdgeAfterPublish(tags, { siteUrl: "https://blog.test", token: ADMIN_TOKEN }, io, fetcher)).toBe(true);
      await settle();
      expectWithinCloudflareLimits(calls);
      for (const request of requests) expect(request.bytes).toBeLessThanOrEqual(PURGE_API_MAX_BODY_BYTES);
      return { tags, calls, requests, out };
    };

    // 1,100 articles: their tags fit the purge bucket, so each one is purged.
    await ageRenderer(prefix, 1_100);
    const some = await publish(sources, await readState(prefix));
    expect(some.changed).toHaveLength(1_100);
    const first = await purgeAfter(some);
    expect(first.requests.length).toBe(2);
    expect(new Set(first.calls.flatMap((c) => c.tags ?? []))).toEqual(new Set(first.tags));
    expect(first.tags).toContain(`a:${prefix}-1099`);

    // All 2,000: more purge calls than the bucket holds; every cached page goes in one call (and its repeat).
    await ageRenderer(prefix, 2_000);
    const all = await publish(sources, await readState(prefix));
    expect(all.changed).toHaveLength(2_000);
    const second = await purgeAfter(all);
    expect(second.requests.map((r) => r.body)).toEqual([{ everything: true }]);
    expect(second.calls).toEqual([{ purgeEverything: true }, { purgeEverything: true }]);
    expect(second.out[0]).toMatch(/^Purged every cached page at the edge: 205\d cache tags/);

    const stale = await env.DB.prepare("SELECT count(*) AS n FROM articles WHERE slug LIKE ? AND html_version = 'alt'")
      .bind(`${prefix}-%`)
      .first<{ n: number }>();
    expect(stale?.n).toBe(0);
  }, 120_000);
});
