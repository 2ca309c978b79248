// Test data for the bench: the schema from migrations/ and articles from
// content/*.md, written straight into a Miniflare D1 database.
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { unstable_splitSqlQuery } from "wrangler";
import { parse as parseYaml } from "yaml";
import { htmlVersionFor, renderArticleHtml } from "../../src/articles/markdown";
import { slugify } from "../../src/lib/slug";

/** The part of the D1 client API used here (Miniflare's D1 types are not installed). */
export interface D1Client {
  prepare(sql: string): D1Statement;
  batch(statements: D1Statement[]): Promise<unknown[]>;
}
export interface D1Statement {
  bind(...values: unknown[]): D1Statement;
  run(): Promise<unknown>;
  first<T = Record<string, unknown>>(): Promise<T | null>;
  all<T = Record<string, unknown>>(): Promise<{ results: T[] }>;
}

/** Applies every migrations/*.sql file in name order, each as one batch (as `wrangler d1 migrations apply` does). */
export async function applyMigrations(db: D1Client, migrationsDir: string): Promise<string[]> {
  const files = (await readdir(migrationsDir)).filter((f) => f.endsWith(".sql")).sort();
  for (const file of files) {
    const queries = unstable_splitSqlQuery(await readFile(path.join(migrationsDir, file), "utf8"));
    await db.batch(queries.map((q) => db.prepare(q)));
  }
  return files;
}

/** A fresh database as the bench needs it: the migrations, then the articles (paths relative to `root`). */
export async function seedDatabase(db: D1Client, root: string, articlePaths: string[]): Promise<SeededArticle[]> {
  await applyMigrations(db, path.join(root, "migrations"));
  const articles: SeededArticle[] = [];
  for (const file of articlePaths) articles.push(await seedArticle(db, root, file));
  return articles;
}

export interface SeededArticle {
  id: number;
  slug: string;
  title: string;
  lang: string;
  tags: { slug: string; name: string }[];
  sourcePath: string;
}

const sha256Hex = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

function frontMatter(source: string, file: string): { meta: Record<string, unknown>; body: string } {
  const match = /^---\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/.exec(source);
  if (!match) throw new Error(`${file}: no YAML front matter`);
  const meta: unknown = parseYaml(match[1] ?? "");
  if (meta === null || typeof meta !== "object") throw new Error(`${file}: front matter is not a mapping`);
  return { meta: meta as Record<string, unknown>, body: source.slice(match[0].length).replace(/^(?:[ \t]*\r?\n)+/, "") };
}

function optionalString(meta: Record<string, unknown>, key: string, file: string): string | null {
  const value = meta[key];
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new Error(`${file}: front matter "${key}" is not a string`);
  return value;
}

function time(value: unknown, key: string, file: string): number {
  const ms = value instanceof Date ? value.getTime() : typeof value === "string" ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw new Error(`${file}: front matter "${key}" is not a date: ${String(value)}`);
  return ms;
}

/**
 * Inserts a published article from a Markdown file with front matter (title,
 * date, optional updated, summary, lang, author, comments, tags), with its
 * HTML rendered and versioned as the publisher stores it, so the Worker serves
 * the stored HTML rather than rendering.
 */
export async function seedArticle(db: D1Client, root: string, relPath: string): Promise<SeededArticle> {
  const source = await readFile(path.join(root, relPath), "utf8");
  const { meta, body } = frontMatter(source, relPath);
  const slug = optionalString(meta, "slug", relPath) ?? path.basename(relPath, path.extname(relPath));
  const title = optionalString(meta, "title", relPath);
  if (!title) throw new Error(`${relPath}: front matter has no title`);
  const lang = optionalString(meta, "lang", relPath) ?? "de";
  const publishedAt = time(meta.date, "date", relPath);
  const updatedAt = meta.updated === undefined ? publishedAt : time(meta.updated, "updated", relPath);
  const bodyHash = sha256Hex(body);
  const { html, excerpt } = renderArticleHtml(body);
  const tagNames = Array.isArray(meta.tags) ? meta.tags.map(String) : [];
  const tags = tagNames.map((name) => ({ slug: slugify(name), name }));

  const row = await db
    .prepare(
      `INSERT INTO articles (slug, title, summary, body_md, body_hash, body_html, html_version, excerpt, lang, status,
         published_at, updated_at, author, comments, source_hash, source_path)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'published', ?, ?, ?, ?, ?, ?) RETURNING id`,
    )
    .bind(
      slug,
      title,
      optionalString(meta, "summary", relPath),
      body,
      bodyHash,
      html,
      htmlVersionFor(bodyHash),
      excerpt,
      lang,
      publishedAt,
      updatedAt,
      optionalString(meta, "author", relPath),
      optionalString(meta, "comments", relPath) ?? "open",
      sha256Hex(source),
      relPath,
    )
    .first<{ id: number }>();
  if (!row) throw new Error(`${relPath}: insert returned no row`);
  for (const tag of tags) {
    await db.batch([
      db.prepare("INSERT INTO tags (slug, name) VALUES (?, ?) ON CONFLICT (slug) DO NOTHING").bind(tag.slug, tag.name),
      db.prepare("INSERT INTO article_tags (article_id, tag_id) SELECT ?, id FROM tags WHERE slug = ?").bind(row.id, tag.slug),
    ]);
  }
  return { id: row.id, slug, title, lang, tags, sourcePath: relPath };
}
