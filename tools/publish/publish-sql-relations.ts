// SQL for what hangs off articles (tags, aliases) and for removing articles,
// a few statements for many articles at once: a local D1 pays about a
// millisecond per statement, so per-article statements would dominate. Pure.
import { byteLength, chunkList, ROWS_PER_STATEMENT, sqlString } from "../../src/db/sql-text";
import type { ArticleSource } from "./front-matter";

/** Replaces the tags and aliases of these articles (looked up by their slug) with those in their files. */
export function buildRelationStatements(sources: ArticleSource[], maxBytes: number): string[] {
  const statements: string[] = [];
  for (const slugs of chunkRows(
    sources.map((s) => sqlString(s.fields.slug)),
    maxBytes,
  )) {
    const ids = `(SELECT id FROM articles WHERE slug IN (${slugs.join(", ")}))`;
    statements.push(`DELETE FROM article_tags WHERE article_id IN ${ids};`, `DELETE FROM article_aliases WHERE article_id IN ${ids};`);
  }
  const tagRows = new Map(sources.flatMap((s) => s.fields.tags.map((t) => [t.slug, `(${sqlString(t.slug)}, ${sqlString(t.name)})`])));
  for (const rows of chunkRows([...tagRows.values()], maxBytes)) {
    statements.push(`INSERT INTO tags (slug, name) VALUES ${rows.join(", ")} ON CONFLICT(slug) DO UPDATE SET name = excluded.name;`);
  }
  const pairs = sources.flatMap((s) => s.fields.tags.map((t) => `(${sqlString(s.fields.slug)}, ${sqlString(t.slug)})`));
  for (const rows of chunkRows(pairs, maxBytes)) {
    statements.push(
      `INSERT INTO article_tags (article_id, tag_id) SELECT a.id, t.id FROM (VALUES ${rows.join(", ")}) AS v JOIN articles a ON a.slug = v.column1 JOIN tags t ON t.slug = v.column2;`,
    );
  }
  const aliases = sources.flatMap((s) => s.fields.aliases.map((alias) => `(${sqlString(alias)}, ${sqlString(s.fields.slug)})`));
  for (const rows of chunkRows(aliases, maxBytes)) {
    // An alias another article had moves here; "WHERE true" keeps ON CONFLICT from reading as a join clause.
    statements.push(
      `INSERT INTO article_aliases (slug, article_id) SELECT v.column1, a.id FROM (VALUES ${rows.join(", ")}) AS v JOIN articles a ON a.slug = v.column2 WHERE true ON CONFLICT(slug) DO UPDATE SET article_id = excluded.article_id;`,
    );
  }
  return statements;
}

/** Deletes these articles with their comments, tags and aliases. */
export function buildRemovalStatements(slugs: string[], maxBytes: number): string[] {
  const statements: string[] = [];
  for (const list of chunkRows(slugs.map(sqlString), maxBytes)) {
    const ids = `(SELECT id FROM articles WHERE slug IN (${list.join(", ")}))`;
    // Explicit rather than relying on ON DELETE CASCADE, which needs foreign keys switched on.
    for (const table of ["comments", "article_tags", "article_aliases"]) statements.push(`DELETE FROM ${table} WHERE article_id IN ${ids};`);
    statements.push(`DELETE FROM articles WHERE slug IN (${list.join(", ")});`);
  }
  return statements;
}

/** Lists of SQL row fragments, each at most ROWS_PER_STATEMENT long and half of maxBytes in size (a statement may hold its list twice). */
function chunkRows(rows: string[], maxBytes: number): string[][] {
  return chunkList(rows, { maxItems: ROWS_PER_STATEMENT, maxBytes: maxBytes / 2 }, (row) => byteLength(row) + 2);
}
