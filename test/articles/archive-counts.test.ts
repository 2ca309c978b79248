// The archive's kept month counts (src/articles/archive-counts.ts,
// migrations/0015): kept by the cron, read while the articles are as they were
// counted, never after any change to them, whatever path made it; a reader
// whose counts are not kept counts for itself and writes nothing. Real local D1.
import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { keepArchiveMonths, keptArchiveMonthsQuery, listArchiveMonths as listFrom, refreshArchiveMonths } from "../../src/articles/archive-counts";
import { getDb } from "../../src/db/client";
import worker from "../../src/index";
import { TEN_MINUTE_CRON } from "../../src/jobs";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";

const db = getDb(env.DB);
const HOUR = 3_600_000;
const opts = (now: number) => ({ now, timeZone: "Europe/Berlin", defaultLang: "de" as const });

/** As the route reads them: the kept counts first, counted (and not kept) when there are none. */
async function listArchiveMonths(d: typeof db, o: ReturnType<typeof opts>) {
  return listFrom(d, o, await keptArchiveMonthsQuery(d, o));
}

/** The count the archive gives for one month (0 when it is not listed). */
async function countOf(now: number, year: number, month: number): Promise<number> {
  const { items } = await listArchiveMonths(db, opts(now));
  return items.find((m) => m.year === year && m.month === month)?.count ?? 0;
}

async function keptRows(): Promise<{ key: string; version: number }[]> {
  return (await env.DB.prepare("SELECT key, version FROM archive_counts").all<{ key: string; version: number }>()).results;
}

async function articlesVersion(): Promise<number> {
  return (await env.DB.prepare("SELECT version FROM articles_version").first<number>("version")) ?? -1;
}

describe("the archive's kept counts", () => {
  it("is kept by the cron's refresh, served again, and counted anew after an insert, an update and a delete of an article", async () => {
    const at = Date.parse("1979-05-10T10:00:00Z");
    const now = Date.now();
    const first = await insertArticle({ publishedAt: at });
    expect(await countOf(now, 1979, 5)).toBe(1);
    expect(await refreshArchiveMonths(db, opts(now))).toBe(true);
    expect((await keptRows()).map((r) => r.version)).toContain(await articlesVersion());
    // Current counts are kept: the next refresh counts nothing.
    expect(await refreshArchiveMonths(db, opts(now))).toBe(false);
    // Served from the kept row: a row kept with a wrong count would show here (and is replaced below).
    await env.DB.prepare("UPDATE archive_counts SET months = ? WHERE version = ?")
      .bind(JSON.stringify([{ year: 1979, month: 5, count: 42 }]), await articlesVersion())
      .run();
    expect(await countOf(now, 1979, 5)).toBe(42);

    await insertArticle({ publishedAt: at + HOUR });
    expect(await countOf(now, 1979, 5)).toBe(2);
    await env.DB.prepare("UPDATE articles SET status = 'draft' WHERE id = ?").bind(first.id).run();
    expect(await countOf(now, 1979, 5)).toBe(1);
    await env.DB.prepare("DELETE FROM articles WHERE published_at = ?")
      .bind(at + HOUR)
      .run();
    expect(await countOf(now, 1979, 5)).toBe(0);
  });

  it("a reader without kept counts counts for itself and keeps nothing; the 10-minute cron keeps them", async () => {
    await insertArticle({ publishedAt: Date.parse("1974-04-04T10:00:00Z") });
    const before = await keptRows();
    const version = await articlesVersion();
    const page = await get("/archive");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("/archive/1974/04");
    expect(await keptRows()).toEqual(before);
    expect(before.map((r) => r.version)).not.toContain(version);
    await worker.scheduled(createScheduledController({ scheduledTime: Date.now(), cron: TEN_MINUTE_CRON }), env, createExecutionContext());
    expect((await keptRows()).map((r) => r.version)).toContain(version);
  });

  it("counts anew when a scheduled article becomes visible, without any write", async () => {
    const now = Date.now();
    const due = now + 2 * HOUR;
    await insertArticle({ publishedAt: Date.parse("1978-03-03T10:00:00Z") });
    await insertArticle({ publishedAt: due });
    const before = await listArchiveMonths(db, opts(now));
    expect(before.nextScheduledAt).toBe(due);
    const dueMonth = new Date(due);
    const year = dueMonth.getUTCFullYear();
    const month = dueMonth.getUTCMonth() + 1;
    const counted = (found: typeof before) => found.items.find((m) => m.year === year && m.month === month)?.count ?? 0;
    const atDue = await listArchiveMonths(db, opts(due));
    expect(counted(atDue)).toBe(counted(before) + 1);
  });

  it("does not keep a count made from a version the primary has moved past (a lagging replica's)", async () => {
    const version = await articlesVersion();
    await insertArticle({ publishedAt: Date.parse("1977-07-07T10:00:00Z") });
    await keepArchiveMonths(db, "stale-key", version, { items: [{ year: 1977, month: 7, count: 99 }], nextScheduledAt: null });
    expect((await keptRows()).some((r) => r.key === "stale-key")).toBe(false);
    await keepArchiveMonths(db, "fresh-key", version + 1, { items: [{ year: 1977, month: 7, count: 1 }], nextScheduledAt: null });
    expect((await keptRows()).some((r) => r.key === "fresh-key")).toBe(true);
  });

  it("counts anew when a kept row cannot be read, and the page stays a 200", async () => {
    await insertArticle({ publishedAt: Date.parse("1976-06-06T10:00:00Z") });
    await refreshArchiveMonths(db, opts(Date.now()));
    await env.DB.prepare("UPDATE archive_counts SET months = ?").bind('{"constructor":1}').run();
    const res = await get("/archive");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("/archive/1976/06");
  });
});
