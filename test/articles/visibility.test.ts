// What readers may see (src/articles/visibility.ts): each form of the rule
// picks the same rows, the hidden ids are exactly the rest, and the next
// scheduled time is the nearest row still to come. Real local D1; every query
// is limited to this file's rows, dated in 1981 where no other test writes.
import { env } from "cloudflare:test";
import { and, inArray, type SQL, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hiddenArticleIdsSql, isVisibleArticle, isVisibleStaticPage, nextScheduledSql, visibleInRangeSql, visibleSql } from "../../src/articles/visibility";
import { getDb } from "../../src/db/client";
import { articles, KIND_ARTICLE, KIND_PAGE } from "../../src/db/schema";
import { insertArticle, insertPage } from "../helpers/articles";

const db = getDb(env.DB);
const NOW = Date.UTC(1981, 4, 1, 12);
const HOUR = 3_600_000;

async function insertRows() {
  const rows = {
    past: await insertArticle({ publishedAt: NOW - HOUR }),
    atNow: await insertArticle({ publishedAt: NOW }),
    draft: await insertArticle({ status: "draft", publishedAt: NOW - 1.5 * HOUR }),
    undated: await insertArticle({ status: "draft", publishedAt: null }),
    scheduled: await insertArticle({ publishedAt: NOW + HOUR }),
    page: await insertPage({ publishedAt: NOW - HOUR }),
    scheduledPage: await insertPage({ publishedAt: NOW + HOUR / 2 }),
  };
  const names = new Map(Object.entries(rows).map(([name, row]) => [row.id, name]));
  return { ids: [...names.keys()], names };
}

describe("the visibility rule", () => {
  it("shows a published row of its kind from its date on, in the builder's form and the hand-written one alike", async () => {
    const { ids, names } = await insertRows();
    const built = async (condition: SQL) =>
      (
        await db
          .select({ id: articles.id })
          .from(articles)
          .where(and(inArray(articles.id, ids), condition))
          .orderBy(articles.id)
      ).map((r) => names.get(r.id));
    const written = async (condition: SQL) =>
      (
        await db.all<{ id: number }>(sql`SELECT a.id AS id FROM articles a WHERE a.id IN ${sql`(${sql.join(ids, sql`, `)})`} AND ${condition} ORDER BY a.id`)
      ).map((r) => names.get(r.id));
    expect(await built(isVisibleArticle(NOW))).toEqual(["past", "atNow"]);
    expect(await built(isVisibleStaticPage(NOW))).toEqual(["page"]);
    expect(await written(visibleSql(KIND_ARTICLE, NOW, { alias: "a" }))).toEqual(["past", "atNow"]);
    expect(await written(visibleSql(KIND_ARTICLE, NOW, { alias: "a", unindexed: true }))).toEqual(["past", "atNow"]);
    expect(await written(visibleSql(KIND_PAGE, NOW, { alias: "a" }))).toEqual(["page"]);
    expect(await written(visibleSql("any", NOW, { alias: "a" }))).toEqual(["past", "atNow", "page"]);
    // A scheduled row is visible from its date on, without a write.
    expect(await built(isVisibleArticle(NOW + HOUR))).toEqual(["past", "atNow", "scheduled"]);
    // In a range, the date bound still holds: the scheduled article is in the month but not yet visible.
    const range = { from: sql`${NOW - 2 * HOUR}`, to: sql`${NOW + 2 * HOUR}` };
    expect(await written(visibleInRangeSql(KIND_ARTICLE, range, NOW, { alias: "a" }))).toEqual(["past", "atNow"]);
    expect(await written(visibleInRangeSql(KIND_ARTICLE, { from: sql`${NOW - 2 * HOUR}`, to: sql`${NOW}` }, NOW, { alias: "a" }))).toEqual(["past"]);
  });

  it("hides exactly the rows that are not visible articles: static pages, drafts and scheduled articles", async () => {
    const { ids, names } = await insertRows();
    const hidden = await db.all<{ id: number }>(
      sql`SELECT id FROM ${hiddenArticleIdsSql(NOW)} AS hidden WHERE id IN ${sql`(${sql.join(ids, sql`, `)})`} ORDER BY id`,
    );
    expect(hidden.map((r) => names.get(r.id))).toEqual(["draft", "undated", "scheduled", "page", "scheduledPage"]);
  });

  it("tells when the next scheduled row of a kind, or of either kind, becomes visible", async () => {
    await insertRows();
    const next = async (expression: SQL<number | null>) => (await db.all<{ at: number | null }>(sql`SELECT ${expression} AS at`))[0]?.at;
    expect(await next(nextScheduledSql(NOW))).toBe(NOW + HOUR);
    expect(await next(nextScheduledSql(NOW, KIND_PAGE))).toBe(NOW + HOUR / 2);
    expect(await next(nextScheduledSql(NOW, "any"))).toBe(NOW + HOUR / 2);
    // A draft's date does not count (it is visible only once published), nor one already past.
    expect(await next(nextScheduledSql(NOW - 2 * HOUR))).toBe(NOW - HOUR);
  });
});
