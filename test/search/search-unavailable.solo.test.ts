// While `npm run backup` has dropped the search index, a search is a 503 that
// says so (never a 500), and every other page works as before.
import { env } from "cloudflare:test";
import { afterAll, describe, expect, it } from "vitest";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";

/** The statements of migrations/0009_search.sql that build the index (not the column it adds). */
function indexStatements(): string[] {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0009_"));
  if (!migration) throw new Error("migration 0009 missing");
  return migration.queries.filter((q) => !q.includes("ALTER TABLE"));
}

async function dropIndex(): Promise<void> {
  const { results } = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'").all<{ name: string }>();
  await env.DB.batch([...results.map((r) => env.DB.prepare(`DROP TRIGGER ${r.name}`)), env.DB.prepare("DROP TABLE search_index")]);
}

describe("search while the index is rebuilt", () => {
  afterAll(async () => {
    await env.DB.batch(indexStatements().map((q) => env.DB.prepare(q)));
  });

  it("answers 503 with Retry-After and a message, uncached, while the other pages stay up", async () => {
    const { slug } = await insertArticle();
    await dropIndex();
    const res = await get("/search?q=absatz");
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("60");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(await res.text()).toContain("Suchindex wird gerade neu aufgebaut");
    expect((await get("/search")).status).toBe(200);
    expect((await get(`/articles/${slug}`)).status).toBe(200);
    await env.DB.batch(indexStatements().map((q) => env.DB.prepare(q)));
    const back = await get(`/search?q=${slug}`);
    expect(back.status).toBe(200);
    expect(await back.text()).toContain(`/articles/${slug}`);
    await dropIndex();
  });
});
