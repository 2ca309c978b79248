// Full-text search in D1: the index follows the articles table, and readers'
// queries find words, prefixes, compounds, folded diacritics and phrases.
import { env } from "cloudflare:test";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { D1_MAX_BOUND_PARAMETERS, D1_MAX_LIKE_PATTERN_BYTES, D1_MAX_STATEMENT_BYTES } from "../../src/db/limits";
import { MAX_SEARCH_PAGE, SEARCH_PAGE_SIZE } from "../../src/routes/search";
import { buildSearchSql, searchPublished } from "../../src/search/queries";
import { MAX_QUERY_LENGTH, MAX_TERMS, parseSearchQuery, type SearchQuery } from "../../src/search/query";
import { makeSnippet } from "../../src/search/snippet";
import { insertArticle, uniqueSlug } from "../helpers/articles";

function query(text: string): SearchQuery {
  const parsed = parseSearchQuery(text);
  if (!parsed.ok) throw new Error(`not a query: ${text}`);
  return parsed.query;
}

async function search(text: string): Promise<string[]> {
  const page = await searchPublished(getDb(env.DB), query(text), { now: Date.now(), limit: 50, offset: 0 });
  return page.hits.map((hit) => hit.slug);
}

/** A word no other test's articles contain, so each test sees only its own rows. */
function marker(): string {
  return `zq${Math.random().toString(36).slice(2, 8)}`;
}

describe("search over published articles", () => {
  it("finds by word, prefix, compound, folded diacritics and phrase, and requires every word", async () => {
    const m = marker();
    const { slug } = await insertArticle({ title: `Möglichkeiten ${m}`, bodyMd: `Onlinemarketing für kleine Unternehmen und das Internet. ${m}` });
    const other = await insertArticle({ title: `Anderes ${m}`, bodyMd: `Nur Marketing hier, kein Internet ${m}.` });
    expect(await search(`moglichkeiten ${m}`)).toEqual([slug]);
    expect(await search(`Möglichkeiten ${m}`)).toEqual([slug]);
    expect(await search(`MÖGLICHKEITEN ${m}`)).toEqual([slug]);
    expect((await search(`Market ${m}`)).sort()).toEqual([slug, other.slug].sort());
    expect((await search(`marketing ${m}`)).sort()).toEqual([slug, other.slug].sort());
    expect(await search(`"kleine Unternehmen" ${m}`)).toEqual([slug]);
    expect(await search(`"Unternehmen kleine" ${m}`)).toEqual([]);
    expect(await search(`unternehmen hier ${m}`)).toEqual([]);
  });

  it("finds German words as readers type them: ae/oe/ue and ss for umlauts and ß, and inflected forms by their stem", async () => {
    const m = marker();
    const umlauts = await insertArticle({ title: `Neue Möglichkeiten ${m}`, bodyMd: `Die Straße ist groß, und die Größe zählt. ${m}` });
    const stems = await insertArticle({ title: `Ein Unternehmen ${m}`, bodyMd: `Jedes Telefon in jeder Werkstatt, im Büro und auf der Strasse. ${m}` });
    const none = await insertArticle({ title: `Anderes ${m}`, bodyMd: `Continue, Menü, Ausgang. ${m}` });
    const cases: [string, string[]][] = [
      ["moeglichkeiten", [umlauts.slug]],
      ["Möglichkeit", [umlauts.slug]],
      ["groesse", [umlauts.slug]],
      ["gross", [umlauts.slug]],
      ["groß", [umlauts.slug]],
      ["strasse", [umlauts.slug, stems.slug]],
      ["Straßen", [umlauts.slug, stems.slug]],
      ["Unternehmens", [stems.slug]],
      ["Telefone", [stems.slug]],
      ["Werkstätten", [stems.slug]],
      ["bueros", [stems.slug]],
      ["neue", [umlauts.slug]],
      ["continue", [none.slug]],
    ];
    for (const [typed, expected] of cases) expect((await search(`${typed} ${m}`)).sort(), typed).toEqual([...expected].sort());
  });

  it("ranks a title match above a body match", async () => {
    const m = marker();
    const body = await insertArticle({ title: `Ohne ${m}`, bodyMd: `Ein Text über Suchmaschinen ${m}.` });
    const title = await insertArticle({ title: `Suchmaschinen verstehen ${m}`, bodyMd: `Ein Text ${m}.` });
    expect(await search(`suchmaschinen ${m}`)).toEqual([title.slug, body.slug]);
  });

  it("matches terms shorter than three characters as well", async () => {
    const m = marker();
    const { slug } = await insertArticle({ title: `KI im Alltag ${m}`, bodyMd: `Text ${m}.` });
    await insertArticle({ title: `Ohne ${m}`, bodyMd: `Text ${m}.` });
    expect(await search(`KI ${m}`)).toEqual([slug]);
  });

  it("finds tags and summaries, and follows tag changes", async () => {
    const m = marker();
    const tagSlug = uniqueSlug("tag");
    const { id, slug } = await insertArticle({ title: `Titel ${m}`, summary: `Zusammenfassung ${m}`, tags: [{ slug: tagSlug, name: `Schlagwort${m}` }] });
    expect(await search(`schlagwort${m}`)).toEqual([slug]);
    await env.DB.prepare("UPDATE tags SET name = ? WHERE slug = ?").bind(`Umbenannt${m}`, tagSlug).run();
    expect(await search(`schlagwort${m}`)).toEqual([]);
    expect(await search(`umbenannt${m}`)).toEqual([slug]);
    await env.DB.prepare("DELETE FROM article_tags WHERE article_id = ?").bind(id).run();
    expect(await search(`umbenannt${m}`)).toEqual([]);
  });

  it("stays in step when an article changes, is unpublished or removed, and never shows drafts or scheduled ones", async () => {
    const m = marker();
    const { id, slug } = await insertArticle({ title: `Vorher ${m}`, bodyMd: `Alt ${m}.` });
    await insertArticle({ title: `Entwurf ${m}`, status: "draft", publishedAt: null });
    await insertArticle({ title: `Geplant ${m}`, publishedAt: Date.now() + 86_400_000 });
    expect(await search(m)).toEqual([slug]);
    await env.DB.prepare("UPDATE articles SET title = ?, body_text = ? WHERE id = ?").bind(`Nachher ${m}`, `Neuer Text ${m}.`, id).run();
    expect(await search(`vorher ${m}`)).toEqual([]);
    expect(await search(`nachher neuer ${m}`)).toEqual([slug]);
    await env.DB.prepare("UPDATE articles SET status = 'draft' WHERE id = ?").bind(id).run();
    expect(await search(m)).toEqual([]);
    await env.DB.prepare("UPDATE articles SET status = 'published' WHERE id = ?").bind(id).run();
    await env.DB.prepare("DELETE FROM articles WHERE id = ?").bind(id).run();
    expect(await search(m)).toEqual([]);
    const { results } = await env.DB.prepare("SELECT rowid FROM search_index WHERE rowid = ?").bind(id).all();
    expect(results).toEqual([]);
  });

  it("pages through hits with a total", async () => {
    const m = marker();
    for (let i = 0; i < 5; i++) await insertArticle({ title: `Seite ${i} ${m}` });
    const first = await searchPublished(getDb(env.DB), query(m), { now: Date.now(), limit: 2, offset: 0 });
    const third = await searchPublished(getDb(env.DB), query(m), { now: Date.now(), limit: 2, offset: 4 });
    expect(first.total).toBe(5);
    expect(first.hits).toHaveLength(2);
    expect(third.hits).toHaveLength(1);
  });

  it.each([
    ['"'],
    ['"unclosed'],
    ["NEAR(a b)"],
    ["a OR b NOT c"],
    ["title:foo"],
    ["^start"],
    ["*"],
    ["foo*"],
    ["(((("],
    ["'; DROP TABLE articles; --"],
    ["%_\\"],
    ["constructor __proto__"],
  ])("answers FTS5 syntax and odd input %j as plain words, never an error", async (text) => {
    const parsed = parseSearchQuery(text);
    if (!parsed.ok) return expect(parsed.problem).toBe("empty");
    await expect(searchPublished(getDb(env.DB), parsed.query, { now: Date.now(), limit: 10, offset: 0 })).resolves.toBeDefined();
  });
});

/**
 * The longest query the route takes (MAX_QUERY_LENGTH characters) whose first
 * MAX_TERMS distinct terms are `short` terms under three characters and the
 * rest long ones; more two-letter words fill it up, and parsing drops them.
 */
function longestQuery(short: number): SearchQuery {
  const words = Array.from({ length: 26 * 26 }, (_, i) => String.fromCharCode(97 + Math.floor(i / 26), 97 + (i % 26)));
  const long = Array.from({ length: MAX_TERMS - short }, (_, i) => `längerer${words[i]}`);
  const terms = [...long, ...words.slice(100, 100 + short)];
  let text = terms.join(" ");
  for (const filler of words.slice(200)) if (text.length + 3 <= MAX_QUERY_LENGTH) text += ` ${filler}`;
  // The last long term takes what is left, so the query is exactly as long as the route allows.
  if (long.length > 0) text = text.replace(long.at(-1) ?? "", `${long.at(-1)}${"x".repeat(MAX_QUERY_LENGTH - text.length)}`);
  expect(text.length).toBeGreaterThan(MAX_QUERY_LENGTH - 3);
  const parsed = query(text);
  // MAX_TERMS of the reader's terms count: the long ones in the MATCH (each in its spellings), the short ones with LIKE.
  expect((parsed.match?.split(" AND ") ?? []).length + parsed.shortTerms.length).toBe(MAX_TERMS);
  expect(parsed.shortTerms).toHaveLength(short);
  return parsed;
}

describe("the search statement within D1's limits", () => {
  const deepest = { now: Date.now(), limit: SEARCH_PAGE_SIZE, offset: (MAX_SEARCH_PAGE - 1) * SEARCH_PAGE_SIZE };
  const cases = Array.from({ length: MAX_TERMS + 1 }, (_, short) => [short, MAX_TERMS - short] as const);

  it.each(cases)("the longest query with %i short and %i long terms binds at most 100 parameters in under 100 KB of SQL", async (short) => {
    const search = longestQuery(short);
    const statement = new SQLiteAsyncDialect().sqlToQuery(buildSearchSql(search, deepest));
    expect(statement.params.length).toBeLessThanOrEqual(D1_MAX_BOUND_PARAMETERS);
    expect(new TextEncoder().encode(statement.sql).length).toBeLessThan(D1_MAX_STATEMENT_BYTES);
    const likePatterns = statement.params.filter((p): p is string => typeof p === "string" && p.startsWith("%") && p.endsWith("%"));
    expect(likePatterns.length).toBeGreaterThanOrEqual(4 * short);
    for (const pattern of likePatterns) expect(new TextEncoder().encode(pattern).length).toBeLessThanOrEqual(D1_MAX_LIKE_PATTERN_BYTES);
    // And D1 runs it.
    await expect(searchPublished(getDb(env.DB), search, deepest)).resolves.toMatchObject({ hits: [] });
  });
});

describe("parseSearchQuery", () => {
  it("refuses empty and overlong input, and drops control characters", () => {
    expect(parseSearchQuery("   ")).toEqual({ ok: false, problem: "empty" });
    expect(parseSearchQuery(undefined)).toEqual({ ok: false, problem: "empty" });
    expect(parseSearchQuery("x".repeat(201))).toEqual({ ok: false, problem: "too_long" });
    const parsed = parseSearchQuery("a\u0000b\u202Ec");
    expect(parsed.ok && parsed.query.terms).toEqual(["a", "b", "c"]);
  });

  it("searches a German word by its stem in each spelling, and leaves phrases and short words whole", () => {
    const parsed = parseSearchQuery('Moeglichkeiten Strasse neue "große Werkstätten" KI');
    expect(parsed.ok && parsed.query.match).toBe(
      '("moeglichkeit" OR "moglichkeit") AND ("strass" OR "straß") AND "neue" AND ("große werkstätten" OR "grosse werkstätten")',
    );
    expect(parsed.ok && parsed.query.shortTerms).toEqual(["ki"]);
    expect(parsed.ok && parsed.query.terms).toEqual([
      "moeglichkeit",
      "moglichkeit",
      "strass",
      "straß",
      "neue",
      "große werkstätten",
      "grosse werkstätten",
      "ki",
    ]);
  });

  it("quotes every term, so FTS5 never sees syntax", () => {
    const parsed = parseSearchQuery('Marketing "kleine Unternehmen" NEAR OR');
    expect(parsed.ok && parsed.query.match).toBe('"marketing" AND "kleine unternehmen" AND "near"');
    expect(parsed.ok && parsed.query.shortTerms).toEqual(["or"]);
  });
});

describe("makeSnippet", () => {
  it("marks folded matches in the original spelling and cuts around the first one", () => {
    const text = `${"Vorrede ".repeat(30)}Die Möglichkeiten im Onlinemarketing sind groß. ${"Nachwort ".repeat(30)}`;
    const parts = makeSnippet(text, ["moglichkeiten", "marketing"]);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(["Möglichkeiten", "marketing"]);
    expect(parts[0]?.text).toBe("…");
    expect(parts.at(-1)?.text).toBe("…");
    expect(parts.map((p) => p.text).join("").length).toBeLessThan(300);
  });

  it("marks the whole word a stem was found in", () => {
    const parts = makeSnippet("Die Werkstätten des Unternehmens, online.", ["werkstatt", "unternehmen", "line"]);
    expect(parts.filter((p) => p.match).map((p) => p.text)).toEqual(["Werkstätten", "Unternehmens", "line"]);
  });

  it("keeps the reader's text as text: the parts are plain strings for the view to escape", () => {
    const parts = makeSnippet("Ein <b>Test</b> mit <script>", ["<script>"]);
    expect(parts.find((p) => p.match)?.text).toBe("<script>");
  });
});
