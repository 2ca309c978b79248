// The publisher's SQL, run on the real local D1 binding in one batch per file
// (a transaction, as `wrangler d1 execute --file` runs it), then read back
// through D1 and the Worker.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { htmlVersionFor, renderArticleHtml } from "../../../src/articles/markdown";
import { STATEMENT_BUDGET_BYTES } from "../../../src/db/sql-text";
import type { ArticleSource } from "../../../tools/publish/front-matter";
import { type PublishPlan, planPublish, type StoredState } from "../../../tools/publish/publish-plan";
import { buildPublishSql, buildPublishStatements } from "../../../tools/publish/publish-sql";
import { articleText, parseSource, sourceFor } from "../../helpers/article-files";
import { uniqueSlug } from "../../helpers/articles";

const DAY = 86_400_000;

/** D1's state for these slugs, as the CLI reads it. */
async function readState(slugs: string[]): Promise<StoredState> {
  const marks = slugs.map(() => "?").join(", ");
  const { results: articles } = await env.DB.prepare(
    `SELECT slug, source_hash AS sourceHash, html_version AS htmlVersion, source_path AS sourcePath, source_id AS sourceId,
       gone_at AS goneAt, status, published_at AS publishedAt, (SELECT count(*) FROM comments c WHERE c.article_id = a.id) AS commentCount FROM articles a WHERE slug IN (${marks})`,
  )
    .bind(...slugs)
    .all<StoredState["articles"][number]>();
  return { articles, aliases: [] };
}

async function run(files: string[][]): Promise<void> {
  for (const statements of files) await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
}

async function publish(sources: ArticleSource[], now: number, knownSlugs: string[] = [], prune = false, maxFileBytes?: number): Promise<PublishPlan> {
  const result = planPublish(sources, await readState([...sources.map((s) => s.fields.slug), ...knownSlugs]), { prune });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  await run(buildPublishStatements(result.plan, { now, maxFileBytes }));
  return result.plan;
}

async function getRow(slug: string) {
  return env.DB.prepare("SELECT * FROM articles WHERE slug = ?").bind(slug).first<Record<string, unknown>>();
}

async function listTags(slug: string): Promise<string[]> {
  const { results } = await env.DB.prepare(
    "SELECT t.name FROM tags t JOIN article_tags at ON at.tag_id = t.id JOIN articles a ON a.id = at.article_id WHERE a.slug = ? ORDER BY t.name",
  )
    .bind(slug)
    .all<{ name: string }>();
  return results.map((r) => r.name);
}

describe("publish SQL on D1", () => {
  it("writes a new article with its rendered HTML, tags and aliases, and the Worker serves it", async () => {
    const slug = uniqueSlug("neu");
    const oldSlug = uniqueSlug("alt");
    const body = "Erster Absatz mit *Betonung*.\n\n## Abschnitt\n\nMehr.";
    const source = await sourceFor(slug, ["date: 2024-01-15", "summary: Kurz.", "tags: [Web, Kleine Firmen]", `aliases: [${oldSlug}]`], body);
    await publish([source], Date.now());
    const rendered = renderArticleHtml(body);
    expect(await getRow(slug)).toMatchObject({
      title: `Titel ${slug}`,
      summary: "Kurz.",
      body_md: body,
      body_hash: source.bodyHash,
      body_html: rendered.html,
      html_version: htmlVersionFor(source.bodyHash),
      excerpt: rendered.excerpt,
      status: "published",
      published_at: Date.parse("2024-01-14T23:00:00Z"),
      updated_at: Date.parse("2024-01-14T23:00:00Z"),
      source_hash: source.sourceHash,
      source_path: `${slug}.md`,
    });
    expect(await listTags(slug)).toEqual(["Kleine Firmen", "Web"]);
    const page = await SELF.fetch(`https://blog.test/articles/${slug}`);
    const html = await page.text();
    expect(page.status, html).toBe(200);
    expect(html).toContain(`Titel ${slug}`);
    expect(html).toContain("<em>Betonung</em>");
    const redirect = await SELF.fetch(`https://blog.test/articles/${oldSlug}`, { redirect: "manual" });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get("Location")).toBe(`/articles/${slug}`);
  });

  it("writes the translation key, changes it with the file and clears it when the file drops it", async () => {
    const [de, en] = [uniqueSlug("uebersetzt"), uniqueSlug("translated")];
    const key = uniqueSlug("key");
    await publish([await sourceFor(de, [`translationKey: ${key}`]), await sourceFor(en, ["lang: en", `translationKey: ${key}`])], Date.now());
    expect(await getRow(de)).toMatchObject({ translation_key: key, lang: "de" });
    expect(await getRow(en)).toMatchObject({ translation_key: key, lang: "en" });
    const page = await (await SELF.fetch(`https://blog.test/articles/${de}`)).text();
    expect(page).toContain(`<link rel="alternate" hreflang="en" href="http://localhost:8787/articles/${en}"/>`);
    await publish([await sourceFor(de, [`translationKey: ${key}-neu`])], Date.now());
    expect(await getRow(de)).toMatchObject({ translation_key: `${key}-neu` });
    await publish([await sourceFor(de)], Date.now());
    expect(await getRow(de)).toMatchObject({ translation_key: null });
  });

  it("can run the same SQL twice with the same result", async () => {
    const slug = uniqueSlug("zweimal");
    const source = await sourceFor(slug, ["tags: [Web]", `aliases: [${slug}-alt]`]);
    const plan = planPublish([source], { articles: [], aliases: [] }, { prune: false });
    if (!plan.ok) throw new Error("plan failed");
    const files = buildPublishStatements(plan.plan, { now: Date.now() });
    await run(files);
    const first = await getRow(slug);
    await run(files);
    expect(await getRow(slug)).toEqual(first);
    expect(await listTags(slug)).toEqual(["Web"]);
  });

  it("keeps an undated article's first publish time and moves updated_at only when its file changed", async () => {
    const slug = uniqueSlug("undatiert");
    const t0 = Date.now() - 3 * DAY;
    await publish([await sourceFor(slug, [], "Version eins.")], t0);
    expect(await getRow(slug)).toMatchObject({ published_at: t0, updated_at: t0 });
    await publish([await sourceFor(slug, [], "Version zwei.")], t0 + DAY);
    expect(await getRow(slug)).toMatchObject({ published_at: t0, updated_at: t0 + DAY, body_md: "Version zwei." });
    await env.DB.prepare("UPDATE articles SET html_version = 'md0:old' WHERE slug = ?").bind(slug).run();
    const plan = await publish([await sourceFor(slug, [], "Version zwei.")], t0 + 2 * DAY);
    expect(plan.changed.map((c) => c.reasons)).toEqual([["renderer"]]);
    expect(await getRow(slug)).toMatchObject({ published_at: t0, updated_at: t0 + DAY });
  });

  it("gives a draft no publish time until it is published", async () => {
    const slug = uniqueSlug("entwurf");
    const t0 = Date.now() - 2 * DAY;
    await publish([await sourceFor(slug, ["draft: true"])], t0);
    expect(await getRow(slug)).toMatchObject({ status: "draft", published_at: null });
    await publish([await sourceFor(slug, [])], t0 + DAY);
    expect(await getRow(slug)).toMatchObject({ status: "published", published_at: t0 + DAY });
  });

  it("renames an article in place: same row, its comments kept, the old slug redirects", async () => {
    const oldSlug = uniqueSlug("vorher");
    const newSlug = uniqueSlug("nachher");
    await publish([await sourceFor(oldSlug)], Date.now() - DAY);
    const before = await getRow(oldSlug);
    await env.DB.prepare(
      "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES (?, ?, 'Leser', 'l@example.com', 'Gut', '<p>Gut</p>', 'approved', ?)",
    )
      .bind(`c-${oldSlug}`, before?.id, Date.now())
      .run();
    const plan = await publish([await sourceFor(newSlug, [`aliases: [${oldSlug}]`])], Date.now(), [oldSlug]);
    expect(plan.changed.map((c) => c.reasons[0])).toEqual(["renamed"]);
    expect((await getRow(newSlug))?.id).toBe(before?.id);
    expect(await getRow(oldSlug)).toBeNull();
    const comments = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ?").bind(before?.id).first<number>("n");
    expect(comments).toBe(1);
    const redirect = await SELF.fetch(`https://blog.test/articles/${oldSlug}`, { redirect: "manual" });
    expect(redirect.headers.get("Location")).toBe(`/articles/${newSlug}`);
  });

  it("renames by the file's path without an alias, keeps each former slug, and lets two articles swap slugs", async () => {
    const [a, b, c] = [uniqueSlug("erst"), uniqueSlug("dann"), uniqueSlug("zuletzt")];
    const file = (slug: string, path: string, extra: string[] = []) => parseSource(path, articleText([`title: Titel ${slug}`, `slug: ${slug}`, ...extra]));
    await publish([await file(a, `${a}.md`)], Date.now() - DAY);
    const id = (await getRow(a))?.id;
    const first = await publish([await file(b, `${a}.md`)], Date.now(), [a]);
    expect(first.changed.map((ch) => ch.reasons)).toEqual([["renamed", "content"]]);
    await publish([await file(c, `${a}.md`)], Date.now(), [b]);
    expect((await getRow(c))?.id).toBe(id);
    const aliases = await env.DB.prepare("SELECT slug, origin FROM article_aliases WHERE article_id = ? ORDER BY slug").bind(id).all();
    expect(aliases.results).toEqual(
      [
        { slug: a, origin: "rename" },
        { slug: b, origin: "rename" },
      ].sort((x, y) => x.slug.localeCompare(y.slug)),
    );
    // Back to the first slug: it is the article's own again, no longer an alias of it.
    await publish([await file(a, `${a}.md`)], Date.now(), [c]);
    expect((await getRow(a))?.id).toBe(id);
    const back = await env.DB.prepare("SELECT slug FROM article_aliases WHERE article_id = ? ORDER BY slug").bind(id).all<{ slug: string }>();
    expect(back.results.map((r) => r.slug).sort()).toEqual([b, c].sort());
    // Two files swap slugs in one publish: each row keeps its own comments' article.
    const [x, y] = [uniqueSlug("x"), uniqueSlug("y")];
    await publish([await file(x, `${x}.md`), await file(y, `${y}.md`)], Date.now());
    const [xId, yId] = [(await getRow(x))?.id, (await getRow(y))?.id];
    await publish([await file(y, `${x}.md`), await file(x, `${y}.md`)], Date.now(), [x, y]);
    expect([(await getRow(y))?.id, (await getRow(x))?.id]).toEqual([xId, yId]);
  });

  it("takes an article offline with --prune, keeping it with its comments, aliases and tags, and restores it", async () => {
    const slug = uniqueSlug("weg");
    const tag = uniqueSlug("Nur Hier");
    const source = await sourceFor(slug, [`tags: [${tag}]`, `aliases: [${slug}-alt]`]);
    await publish([source], Date.now());
    const id = (await getRow(slug))?.id;
    await env.DB.prepare(
      "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, created_at) VALUES (?, ?, 'A', 'a@example.com', 'x', 'x', 1)",
    )
      .bind(`c-${slug}`, id)
      .run();
    const plan = await publish([], Date.now(), [slug], true);
    expect(plan.offline.map((a) => [a.slug, a.commentCount])).toEqual([[slug, 1]]);
    expect(await getRow(slug)).toMatchObject({ id, status: "draft", gone_at: expect.any(Number) });
    const kept: [table: string, column: string, value: unknown][] = [
      ["comments", "article_id", id],
      ["article_aliases", "slug", `${slug}-alt`],
      ["tags", "name", tag],
    ];
    for (const [table, column, value] of kept) {
      expect(await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${column} = ?`).bind(value).first<number>("n"), table).toBe(1);
    }
    for (const path of [`/articles/${slug}`, `/articles/${slug}-alt`]) expect((await SELF.fetch(`https://blog.test${path}`)).status, path).toBe(410);
    const back = await publish([source], Date.now(), [slug]);
    expect(back.changed.map((c) => c.reasons)).toEqual([["restored"]]);
    expect(await getRow(slug)).toMatchObject({ id, status: "published", gone_at: null });
    expect((await SELF.fetch(`https://blog.test/articles/${slug}`)).status).toBe(200);
  });

  it("writes many articles in few statements, each with its own dates, tags and aliases", async () => {
    const prefix = uniqueSlug("viele");
    const t0 = Date.now() - DAY;
    const sources = await Promise.all(
      Array.from({ length: 120 }, (_, i) =>
        sourceFor(`${prefix}-${i}`, [...(i % 2 === 0 ? ["date: 2024-01-15"] : []), "tags: [Web, KMU]", `aliases: [${prefix}-alt-${i}]`]),
      ),
    );
    const plan = planPublish(sources, { articles: [], aliases: [] }, { prune: false });
    if (!plan.ok) throw new Error("plan failed");
    const [statements = []] = buildPublishStatements(plan.plan, { now: t0 });
    expect(statements.length).toBeLessThan(20);
    await run([statements]);
    const { results } = await env.DB.prepare(
      `SELECT a.slug, a.published_at, (SELECT count(*) FROM article_tags t WHERE t.article_id = a.id) AS tags,
         (SELECT group_concat(al.slug) FROM article_aliases al WHERE al.article_id = a.id) AS aliases
       FROM articles a WHERE a.slug LIKE ? ORDER BY a.id`,
    )
      .bind(`${prefix}-%`)
      .all<{ slug: string; published_at: number; tags: number; aliases: string }>();
    expect(results).toHaveLength(120);
    for (const row of results) {
      const i = Number(row.slug.slice(prefix.length + 1));
      expect(row).toEqual({ slug: row.slug, published_at: i % 2 === 0 ? Date.parse("2024-01-14T23:00:00Z") : t0, tags: 2, aliases: `${prefix}-alt-${i}` });
    }
  });

  it("moves an alias from one article to another, also when they land in different files", async () => {
    const [a, b, alias] = [uniqueSlug("a"), uniqueSlug("b"), uniqueSlug("wandert")];
    await publish([await sourceFor(a), await sourceFor(b, [`aliases: [${alias}]`])], Date.now());
    // One file per article: a's file runs while b still holds the alias.
    await publish([await sourceFor(a, [`aliases: [${alias}]`]), await sourceFor(b)], Date.now(), [], false, 1_000);
    const target = await env.DB.prepare("SELECT a.slug FROM article_aliases al JOIN articles a ON a.id = al.article_id WHERE al.slug = ?")
      .bind(alias)
      .first<string>("slug");
    expect(target).toBe(a);
  });

  it("writes a body over D1's statement limit in chunks and stores it whole", async () => {
    const slug = uniqueSlug("lang");
    const paragraph = "Ein „langer“ Absatz – mit 'Zitaten', Emoji 🙂 und BEGIN TRANSACTION; COMMIT; darin.\n\n";
    const body = paragraph.repeat(1_500);
    const source = await sourceFor(slug, [], body);
    const plan = planPublish([source], { articles: [], aliases: [] }, { prune: false });
    if (!plan.ok) throw new Error("plan failed");
    const [statements = []] = buildPublishStatements(plan.plan, { now: Date.now() });
    const sizes = statements.map((s) => new TextEncoder().encode(s).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(STATEMENT_BUDGET_BYTES);
    expect(statements.filter((s) => s.startsWith("UPDATE articles SET body_")).length).toBeGreaterThan(4);
    await run([statements]);
    expect(await getRow(slug)).toMatchObject({
      body_md: body.trimEnd(),
      body_html: renderArticleHtml(body.trimEnd()).html,
      body_text: renderArticleHtml(body.trimEnd()).text,
    });
  });

  it("indexes the body as plain text: no Markdown syntax, tags or entities in the search index", async () => {
    const slug = uniqueSlug("klartext");
    const body = [
      "# Überschrift mit *Betonung*",
      "",
      "Ein [Link](https://example.com/ziel) und **fett** und `Code <b>` & Online<em>marketing</em>.",
      "",
      "- Punkt eins",
      "- Punkt zwei",
      "",
      "| Zelle | Nachbar |",
      "|---|---|",
      "| links | rechts |",
      "",
      "<script>verstecktesSkript()</script>",
      "",
      "&#x1F600; Ende\uE000.",
    ].join("\n");
    await publish([await sourceFor(slug, [], body)], Date.now());
    const row = await env.DB.prepare("SELECT s.body AS indexed, a.body_text AS text FROM search_index s JOIN articles a ON a.id = s.rowid WHERE a.slug = ?")
      .bind(slug)
      .first<{ indexed: string; text: string }>();
    expect(row?.indexed).toBe(row?.text);
    expect(row?.text).toBe(
      "Überschrift mit Betonung Ein Link und fett und Code <b> & Onlinemarketing. Punkt eins Punkt zwei Zelle Nachbar links rechts 😀 Ende.",
    );
    for (const syntax of ["*", "#", "](", "`", "|", "<em>", "&amp;", "https://", "verstecktesSkript", "\uE000"]) expect(row?.text).not.toContain(syntax);
  });

  it("splits the SQL into files only between articles", async () => {
    const sources = await Promise.all([1, 2, 3].map(() => sourceFor(uniqueSlug("teil"), ["tags: [Web]"])));
    const plan = planPublish(sources, { articles: [], aliases: [] }, { prune: false });
    if (!plan.ok) throw new Error("plan failed");
    const files = buildPublishSql(plan.plan, { now: Date.now(), maxFileBytes: 1_500 });
    expect(files).toHaveLength(3);
    files.forEach((file, i) => {
      expect(file.startsWith(`-- npm run publish: part ${i + 1} of 3;`)).toBe(true);
      expect(file.match(/INSERT INTO articles /g)).toHaveLength(1);
    });
    expect(buildPublishSql(plan.plan, { now: Date.now() })).toHaveLength(1);
    await run(buildPublishStatements(plan.plan, { now: Date.now(), maxFileBytes: 1_500 }));
    for (const source of sources) expect(await listTags(source.fields.slug)).toEqual(["Web"]);
  });
});
