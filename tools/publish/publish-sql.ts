// The SQL that applies a publish plan, as text for `wrangler d1 execute --file`.
//
// What is atomic: D1 runs one --file in one transaction (remotely the import
// rolls back on failure; locally wrangler sends the file as one batch), so a
// file lands completely or not at all. One file is the normal case. Only a
// plan whose SQL passes MAX_FILE_BYTES is split, between articles, never
// inside one; then each file is atomic on its own and the whole publish is
// not. That stays safe: every statement is idempotent (upserts keyed by slug,
// tags and aliases deleted and inserted again, offline marks by slug), and a second
// run plans only what did not land.
//
// A file holds, in order: the articles taken offline (first file only), the
// renames (a file whose slug changed), the articles' upserts (several per
// statement), their tags and aliases, then the deletion of unused tags.
// Nothing here deletes an article: that is `npm run delete` (delete-command.ts).
//
// D1 limits (src/db/limits.ts): an SQL statement may be at most 100,000
// bytes, a string or row at most 2 MB, an imported file at most 5 GB. Long
// bodies are therefore written in chunks of at most STATEMENT_BUDGET_BYTES
// per statement, appended with ||. Every literal is written by the one
// escaper (src/db/sql-text.ts), which wrangler's file handling cannot cut.

import { htmlVersionFor, renderArticleHtml } from "../../src/articles/markdown";
import { KIND_ARTICLE, KIND_PAGE } from "../../src/db/schema";
import { byteLength, chunkList, ROWS_PER_STATEMENT, STATEMENT_BUDGET_BYTES, sqlString } from "../../src/db/sql-text";
import type { ArticleSource } from "./front-matter";
import type { PublishPlan } from "./publish-plan";
import { buildOfflineStatements, buildRelationStatements } from "./publish-sql-relations";
import { buildUpsertStatements, type SqlRow } from "./publish-sql-upsert";

/** Far under D1's 5 GB import limit; keeps one local batch and one remote import of a sane size. */
const MAX_FILE_BYTES = 50_000_000;

export interface PublishSqlOptions {
  /** The publish time (epoch ms): first publish of an undated article, updated_at of changed ones. */
  now: number;
  maxFileBytes?: number;
}

/** The SQL files (their text, in order) that apply the plan. Empty when the plan writes nothing. */
export function buildPublishSql(plan: PublishPlan, options: PublishSqlOptions): string[] {
  const files = buildPublishStatements(plan, options);
  return files.map((statements, i) => {
    const header = `-- npm run publish: part ${i + 1} of ${files.length}; D1 applies this file completely or not at all.`;
    return [header, ...statements, ""].join("\n");
  });
}

/** The statements of each SQL file, in order (what buildPublishSql writes out). */
export function buildPublishStatements(plan: PublishPlan, options: PublishSqlOptions): string[][] {
  const writes = [
    ...plan.added.map((source) => prepareWrite(source, null, options.now)),
    ...plan.changed.map((change) => prepareWrite(change.source, change.stored.slug, options.now)),
  ];
  const files = packFiles(writes, options.maxFileBytes ?? MAX_FILE_BYTES).map((batch) => [
    ...buildRenameStatements(batch.flatMap((write) => (write.renamedFrom === null ? [] : [{ from: write.renamedFrom, to: write.source.fields.slug }]))),
    ...buildArticleUpserts(batch, options.now),
    ...buildRelationStatements(
      batch.map((write) => write.source),
      STATEMENT_BUDGET_BYTES,
    ),
    ...deletePreviews(batch),
    ORPHAN_TAGS,
  ]);
  // Articles go offline first, so that an offline article's slug is never the one a rename below frees.
  const offline = buildOfflineStatements(
    plan.offline.map((a) => a.slug),
    options.now,
    STATEMENT_BUDGET_BYTES,
  );
  if (offline.length === 0) return files;
  const [first = [ORPHAN_TAGS], ...rest] = files;
  return [[...offline, ...first], ...rest];
}

interface ArticleWrite {
  source: ArticleSource;
  /** The stored slug the file renames, or null. */
  renamedFrom: string | null;
  row: SqlRow;
  /** About the SQL it takes, for packing files. */
  bytes: number;
}

/** Marks a slug in the middle of a rename; "~" is in no slug (src/lib/slug.ts), so it meets none. */
const RENAMING = "~renaming~";

/**
 * Moves stored rows to their new slugs, keeping each row (its id, so its
 * comments, tags and translations), and keeps each former slug as an alias
 * ('rename') so the old URL redirects. Two steps, so that articles may swap
 * slugs in one publish: every renamed row first steps aside to a marked slug,
 * then takes its new one. A re-run finds the rows already renamed and does nothing.
 */
function buildRenameStatements(renames: { from: string; to: string }[]): string[] {
  if (renames.length === 0) return [];
  const statements: string[] = [];
  for (const list of chunkList(renames, { maxItems: ROWS_PER_STATEMENT, maxBytes: STATEMENT_BUDGET_BYTES / 2 }, (r) => byteLength(r.from) + 4)) {
    statements.push(`UPDATE articles SET slug = ${sqlString(RENAMING)} || slug WHERE slug IN (${list.map((r) => sqlString(r.from)).join(", ")});`);
  }
  for (const { from, to } of renames) {
    statements.push(
      `UPDATE articles SET slug = ${sqlString(to)} WHERE slug = ${sqlString(RENAMING + from)};`,
      // The former slug redirects; an alias the new slug had (a rename back) goes in buildRelationStatements.
      `INSERT INTO article_aliases (slug, article_id, origin) SELECT ${sqlString(from)}, id, 'rename' FROM articles WHERE slug = ${sqlString(to)} ON CONFLICT(slug) DO UPDATE SET article_id = excluded.article_id, origin = 'rename';`,
    );
  }
  return statements;
}

function prepareWrite(source: ArticleSource, storedSlug: string | null, now: number): ArticleWrite {
  const renamedFrom = storedSlug !== null && storedSlug !== source.fields.slug ? storedSlug : null;
  const row = articleColumns(source, now);
  const textBytes = Object.values(row).reduce<number>((sum, v) => sum + (typeof v === "string" ? byteLength(v) : 8), 0);
  return { source, renamedFrom, row, bytes: textBytes + 500 + 200 * (source.fields.tags.length + source.fields.aliases.length) };
}

/** Upserts, several articles per statement; articles share one only when the same update rules apply. */
function buildArticleUpserts(batch: ArticleWrite[], now: number): string[] {
  const byRules = new Map<string, { rules: Record<string, string>; rows: SqlRow[] }>();
  for (const { source, row } of batch) {
    const rules = updateRules(source, now);
    const key = JSON.stringify(rules);
    const group = byRules.get(key) ?? { rules, rows: [] };
    group.rows.push(row);
    byRules.set(key, group);
  }
  return [...byRules.values()].flatMap(({ rules, rows }) => buildUpsertStatements(rows, rules, STATEMENT_BUDGET_BYTES));
}

function articleColumns(source: ArticleSource, now: number): SqlRow {
  const { fields } = source;
  const rendered = renderArticleHtml(source.bodyMd);
  return {
    slug: fields.slug,
    title: fields.title,
    summary: fields.summary,
    body_md: source.bodyMd,
    body_hash: source.bodyHash,
    body_html: rendered.html,
    html_version: htmlVersionFor(source.bodyHash),
    excerpt: rendered.excerpt,
    body_text: rendered.text,
    lang: fields.lang,
    status: fields.draft ? "draft" : "published",
    // An undated article is published now; a stored publish time wins below.
    published_at: fields.date ?? (fields.draft ? null : now),
    updated_at: fields.updated ?? fields.date ?? now,
    author: fields.author,
    comments: fields.comments,
    source_hash: source.sourceHash,
    source_path: source.path,
    translation_key: fields.translationKey,
    kind: fields.page ? KIND_PAGE : KIND_ARTICLE,
    nav: fields.page?.nav ?? null,
    nav_order: fields.page?.navOrder ?? null,
    role: fields.page?.role ?? null,
    source_id: fields.id,
    // Its file is here: an article --prune took offline is back on the site.
    gone_at: null,
    image: fields.image?.url ?? null,
    image_alt: fields.image?.alt ?? null,
    image_width: source.imageSize?.width ?? null,
    image_height: source.imageSize?.height ?? null,
    pinned: fields.pinned ? 1 : 0,
  };
}

/** SET expressions that differ from "take the new value" on an update. */
function updateRules(source: ArticleSource, now: number): Record<string, string> {
  const { fields } = source;
  return {
    published_at: fields.date === null ? "COALESCE(articles.published_at, excluded.published_at)" : "excluded.published_at",
    // Without `updated`, only a changed file moves updated_at (not a renderer bump, a move or a re-run).
    updated_at:
      fields.updated === null ? `CASE WHEN articles.source_hash IS excluded.source_hash THEN articles.updated_at ELSE ${now} END` : "excluded.updated_at",
  };
}

/** A shared draft dies when its article is published: in the same transaction. */
function deletePreviews(batch: ArticleWrite[]): string[] {
  const slugs = batch.filter((w) => !w.source.fields.draft).map((w) => sqlString(w.source.fields.slug));
  return slugs.length === 0 ? [] : [`DELETE FROM previews WHERE slug IN (${slugs.join(", ")});`];
}

const ORPHAN_TAGS = "DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM article_tags WHERE article_tags.tag_id = tags.id);";

/** Articles go whole into files of at most maxFileBytes (one article larger than that gets a file of its own). */
function packFiles(writes: ArticleWrite[], maxFileBytes: number): ArticleWrite[][] {
  const files: ArticleWrite[][] = [];
  let size = 0;
  for (const write of writes) {
    const current = files.at(-1);
    if (current && size + write.bytes <= maxFileBytes) {
      current.push(write);
      size += write.bytes;
    } else {
      files.push([write]);
      size = write.bytes;
    }
  }
  return files;
}
