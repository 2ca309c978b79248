// Test data for the bench: the schema from migrations/, then the articles of
// content/ written the way `npm run publish --local` writes them: the
// publisher's own code reads and checks the files (tools/lib/content-files.ts,
// tools/publish/front-matter.ts), plans against the empty database
// (tools/publish/publish-plan.ts) and makes the SQL (tools/publish/publish-sql.ts);
// each SQL file is then split and sent as one D1 batch, as
// `wrangler d1 execute --local --file` does. So the rows (stored HTML and its
// version, excerpts, tags, aliases, translation keys) are production's.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { htmlVersionFor } from "../../src/articles/markdown";
import { readContentFiles } from "../../tools/lib/content-files";
import { readSourceSettings } from "../../tools/lib/wrangler";
import { planPublish } from "../../tools/publish/publish-plan";
import { buildPublishSql } from "../../tools/publish/publish-sql";

/** The part of the D1 client API used here (Miniflare's D1 types are not installed). */
export interface D1Client {
  prepare(sql: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown[]>;
}
interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  run(): Promise<unknown>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** Where the articles are, relative to the repository root (wrangler.toml's [assets] directory). */
const CONTENT_DIR = "content";

/**
 * The publish time of this run: what an undated article would get as its
 * publish date. Shared by every database seeded in one run, so they all get
 * the same rows.
 */
const PUBLISH_NOW = Date.now();

/** Applies every migrations/*.sql file in name order, each as one batch (as `wrangler d1 migrations apply` does). */
async function applyMigrations(db: D1Client, migrationsDir: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const queries = unstable_splitSqlQuery(await readFile(path.join(migrationsDir, file), "utf8"));
    await db.batch(queries.map((q) => db.prepare(q)));
  }
  return files;
}

export interface SeededArticle {
  id: number;
  slug: string;
  title: string;
  lang: string;
  /** "article" or "page" (content/pages/): pages are in no list or feed. */
  kind: string;
  publishedAt: number;
  translationKey: string | null;
  tags: { slug: string; name: string }[];
  /** Relative to the repository root. */
  sourcePath: string;
}

/**
 * A fresh database as the bench needs it: the migrations, then the articles
 * published. `articlePaths` (relative to `root`, inside content/) publishes
 * only those files, as `npm run publish -- <paths>` would; default: all.
 */
export async function seedDatabase(db: D1Client, root: string, articlePaths?: string[]): Promise<SeededArticle[]> {
  await applyMigrations(db, path.join(root, "migrations"));
  return publishArticles(db, root, articlePaths);
}

/** Publishes content/ (or the given files of it) into a database that holds no articles yet; returns them, by id. */
async function publishArticles(db: D1Client, root: string, articlePaths?: string[]): Promise<SeededArticle[]> {
  const stored = await db.prepare("SELECT count(*) AS n FROM articles").first<{ n: number }>();
  if (stored?.n !== 0) throw new Error("publishArticles plans against an empty database, but this one holds articles");
  const contentDir = path.join(root, CONTENT_DIR);
  const settings = await readSourceSettings(path.join(root, "wrangler.toml"));
  const content = await readContentFiles(contentDir, settings);
  if (content.errors.length > 0) {
    throw new Error(`content/ has errors:\n${content.errors.map((e) => `${e.path}:${e.line}: ${e.message}`).join("\n")}`);
  }
  let selected: Set<string> | undefined;
  if (articlePaths) {
    selected = new Set(articlePaths.map((p) => path.relative(contentDir, path.resolve(root, p)).split(path.sep).join("/")));
    const missing = [...selected].filter((p) => !content.sources.some((s) => s.path === p));
    if (missing.length > 0) throw new Error(`not an article in ${CONTENT_DIR}/: ${missing.join(", ")}`);
  }
  const planned = planPublish(content.sources, { articles: [], aliases: [] }, { prune: false, isSelected: selected ? (p) => selected.has(p) : undefined });
  if (!planned.ok) throw new Error(`publish plan failed:\n${planned.errors.map((e) => `${e.path}:${e.line}: ${e.message}`).join("\n")}`);
  for (const file of buildPublishSql(planned.plan, { now: PUBLISH_NOW })) {
    await db.batch(unstable_splitSqlQuery(file).map((q) => db.prepare(q)));
  }

  const rows = (
    await db
      .prepare(
        "SELECT id, slug, title, lang, kind, published_at AS publishedAt, translation_key AS translationKey, source_path AS sourcePath FROM articles ORDER BY id",
      )
      .all<Omit<SeededArticle, "tags">>()
  ).results;
  const tagRows = (
    await db
      .prepare("SELECT at.article_id AS articleId, t.slug, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id ORDER BY t.name")
      .all<{ articleId: number; slug: string; name: string }>()
  ).results;
  return rows.map((row) => ({
    ...row,
    sourcePath: `${CONTENT_DIR}/${row.sourcePath}`,
    tags: tagRows.filter((t) => t.articleId === row.id).map(({ slug, name }) => ({ slug, name })),
  }));
}

/**
 * Appends `marker` to an article's stored HTML, keeping its html_version:
 * the Worker still takes the stored HTML as current, so a page carrying the
 * marker was made from the stored HTML, not rendered from the Markdown again.
 */
export async function markStoredHtml(db: D1Client, slug: string, marker: string): Promise<void> {
  const row = await db
    .prepare(
      "UPDATE articles SET body_html = body_html || ?1 WHERE slug = ?2 AND body_html IS NOT NULL RETURNING body_hash AS bodyHash, html_version AS htmlVersion",
    )
    .bind(marker, slug)
    .first<{ bodyHash: string; htmlVersion: string | null }>();
  if (!row) throw new Error(`no article ${slug} with stored HTML to mark`);
  if (row.htmlVersion !== htmlVersionFor(row.bodyHash)) {
    throw new Error(`article ${slug}: stored html_version ${row.htmlVersion} is not the current ${htmlVersionFor(row.bodyHash)}`);
  }
}
