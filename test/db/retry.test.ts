import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { isReadOnlySql, MAX_READ_TRIES } from "../../src/db/retry";
import worker from "../../src/index";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { type Execution, type WatchedD1, watchD1 } from "../helpers/d1-watch";
import { ORIGIN } from "../helpers/http";
import { oldToken, uniqueIp, validFields } from "../helpers/post-comment";

const TRANSIENT = [
  "D1_ERROR: Network connection lost.",
  "D1_ERROR: internal error; storage caused object to be reset.",
  "Durable Object reset because its code was updated.",
];

/** Fails the first `times` executions that `which` picks with `message`, then lets them through to the real D1. */
function failing(message: string, times: number, which: (e: Execution) => boolean = () => true): WatchedD1 {
  let left = times;
  return watchD1(env.DB, (e) => {
    if (left === 0 || !which(e)) return undefined;
    left -= 1;
    return new Error(message);
  });
}

async function fetchWith(watched: WatchedD1, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), { ...env, DB: watched.db }, ctx);
  await res.arrayBuffer();
  await waitOnExecutionContext(ctx);
  return res;
}

const runsOf = (watched: WatchedD1, sql: string | undefined) => watched.executions.filter((e) => e.sql === sql).length;

describe("reads tried again after D1's transient errors", () => {
  for (const message of TRANSIENT) {
    it(`a reader page is served after "${message}"`, async () => {
      const { slug } = await insertArticle();
      const watched = failing(message, 1);
      const res = await fetchWith(watched, `/articles/${slug}`);
      expect(res.status).toBe(200);
      // The read that failed ran once more.
      const first = watched.executions[0];
      expect(watched.executions[1]).toEqual(first);
    });
  }

  it(`gives up after ${MAX_READ_TRIES} tries in all`, async () => {
    const { slug } = await insertArticle();
    const watched = failing(TRANSIENT[0] as string, 100, (e) => e.method === "batch");
    const res = await fetchWith(watched, `/articles/${slug}`);
    expect(res.status).toBe(500);
    expect(runsOf(watched, watched.executions[0]?.sql)).toBe(MAX_READ_TRIES);
  });

  it("does not try again after any other error", async () => {
    const { slug } = await insertArticle();
    const watched = failing("D1_ERROR: no such column: nope: SQLITE_ERROR", 1);
    const res = await fetchWith(watched, `/articles/${slug}`);
    expect(res.status).toBe(500);
    expect(runsOf(watched, watched.executions[0]?.sql)).toBe(1);
  });

  it("never runs a write twice: a comment whose record failed is refused with 503 and not stored", async () => {
    const { id, slug } = await insertArticle();
    const isInsert = (e: Execution) => /^\s*insert into "comment_submissions"/i.test(e.sql);
    const watched = failing(TRANSIENT[0] as string, 1, isInsert);
    const fields = validFields({ token: await oldToken(id) });
    const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
    const res = await fetchWith(watched, `/articles/${slug}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": uniqueIp() },
      body,
    });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("30");
    expect(watched.executions.filter(isInsert)).toHaveLength(1);
    const stored = await env.DB.prepare("SELECT count(*) AS n FROM comment_submissions WHERE article_id = ?").bind(id).first("n");
    expect(stored).toBe(0);
  });

  it("tries a batch of reads again, and a batch that writes only once", async () => {
    const { id } = await insertArticle({ slug: uniqueSlug("retry") });
    const reads = failing(TRANSIENT[0] as string, 1);
    const readClient = getDb(reads.db).$client;
    const [found] = await readClient.batch<{ id: number }>([readClient.prepare("SELECT id FROM articles WHERE id = ?").bind(id)]);
    expect(found?.results).toEqual([{ id }]);
    expect(reads.executions).toHaveLength(2);

    const writes = failing(TRANSIENT[0] as string, 1);
    const writeClient = getDb(writes.db).$client;
    const batch = [writeClient.prepare("SELECT 1"), writeClient.prepare("UPDATE articles SET title = 'neu' WHERE id = ?").bind(id)];
    await expect(writeClient.batch(batch)).rejects.toThrow("Network connection lost");
    expect(writes.executions).toHaveLength(1);
  });
});

describe("isReadOnlySql", () => {
  it("takes SELECT and a WITH that ends in a SELECT as reads, anything else as a write", () => {
    expect(isReadOnlySql("select 1")).toBe(true);
    expect(isReadOnlySql('  SELECT "updated_at" FROM articles')).toBe(true);
    expect(isReadOnlySql("WITH RECURSIVE chain(id) AS (SELECT 1) SELECT * FROM chain")).toBe(true);
    expect(isReadOnlySql("WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x")).toBe(false);
    expect(isReadOnlySql("INSERT INTO t SELECT 1 WHERE (SELECT count(*) FROM t) < 3 RETURNING id")).toBe(false);
    expect(isReadOnlySql("update comments set status = 'spam'")).toBe(false);
    expect(isReadOnlySql("DELETE FROM comments")).toBe(false);
  });
});
