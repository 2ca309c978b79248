// Reusable queries (src/db/reuse.ts): SQL built once per shape, values bound
// per call, rows mapped as drizzle maps the builder's. Real local D1.
import { env } from "cloudflare:test";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { type Holders, reusableQuery } from "../../src/db/reuse";
import { articles } from "../../src/db/schema";
import { insertArticle, uniqueSlug } from "../helpers/articles";

const db = getDb(env.DB);

type TitleValues = { slug: string; lang: "de" | "en" };

let builds = 0;
const titleBySlug = reusableQuery((db, p: Holders<TitleValues>) => {
  builds++;
  return db
    .select({ id: articles.id, title: articles.title, upper: sql<string>`upper(${articles.title})` })
    .from(articles)
    .where(and(eq(articles.slug, p.slug), eq(articles.lang, p.lang)));
});

const builtFor: string[] = [];
const countOrTitles = reusableQuery(
  (db, p: Holders<{ slug: string; count: boolean }>, values) => {
    builtFor.push(String(values.count));
    return values.count
      ? db.select({ value: sql<string>`cast(count(*) AS TEXT)` }).from(articles).where(eq(articles.slug, p.slug))
      : db.select({ value: articles.title }).from(articles).where(eq(articles.slug, p.slug));
  },
  (values) => (values.count ? "count" : "titles"),
);

describe("reusableQuery", () => {
  it("builds the SQL once and binds each call's own values", async () => {
    const [a, b] = [uniqueSlug("reuse-a"), uniqueSlug("reuse-b")];
    const first = await insertArticle({ slug: a, title: "Erster Titel" });
    const second = await insertArticle({ slug: b, title: "Second title", lang: "en" });
    expect(await titleBySlug(db, { slug: a, lang: "de" })).toEqual([{ id: first.id, title: "Erster Titel", upper: "ERSTER TITEL" }]);
    expect(await titleBySlug(db, { slug: b, lang: "en" })).toEqual([{ id: second.id, title: "Second title", upper: "SECOND TITLE" }]);
    expect(await titleBySlug(db, { slug: b, lang: "de" })).toEqual([]);
    // Three calls, one build: the first test of this file's isolate.
    expect(builds).toBe(1);
  });

  it("runs in db.batch() beside builders, each item mapped as its own query", async () => {
    const slug = uniqueSlug("reuse-batch");
    const { id } = await insertArticle({ slug, title: "Im Stapel" });
    const [reused, built] = await db.batch([
      titleBySlug(db, { slug, lang: "de" }),
      db.select({ slug: articles.slug }).from(articles).where(eq(articles.id, id)),
    ]);
    expect(reused).toEqual([{ id, title: "Im Stapel", upper: "IM STAPEL" }]);
    expect(built).toEqual([{ slug }]);
  });

  it("keeps one template per shape, chosen by the values the builder branches on", async () => {
    const slug = uniqueSlug("reuse-shape");
    await insertArticle({ slug, title: "Form" });
    builtFor.length = 0;
    expect(await countOrTitles(db, { slug, count: true })).toEqual([{ value: "1" }]);
    expect(await countOrTitles(db, { slug, count: false })).toEqual([{ value: "Form" }]);
    expect(await countOrTitles(db, { slug, count: true })).toEqual([{ value: "1" }]);
    expect(builtFor).toEqual(["true", "false"]);
  });

  it("gives toSQL() with the values filled in, as a builder's", () => {
    const query = titleBySlug(db, { slug: "constructor", lang: "en" }).toSQL();
    expect(query.params).toEqual(["constructor", "en"]);
    expect(query.sql).toMatch(/where \("articles"\."slug" = \? and "articles"\."lang" = \?\)/);
  });
});
