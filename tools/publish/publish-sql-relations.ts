// SQL for what hangs off articles (tags, aliases) and for taking articles offline,
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
    // The file's aliases are replaced; former slugs ('rename') stay. An alias that is now an article's own slug goes.
    statements.push(
      `DELETE FROM article_tags WHERE article_id IN ${ids};`,
      `DELETE FROM article_aliases WHERE (article_id IN ${ids} AND origin = 'file') OR slug IN (${slugs.join(", ")});`,
    );
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
    // An alias another article had moves here; a former slug of this article it names stays one ('rename').
    // "WHERE true" keeps ON CONFLICT from reading as a join clause.
    statements.push(
      `INSERT INTO article_aliases (slug, article_id) SELECT v.column1, a.id FROM (VALUES ${rows.join(", ")}) AS v JOIN articles a ON a.slug = v.column2 WHERE true ON CONFLICT(slug) DO UPDATE SET origin = CASE WHEN article_aliases.article_id = excluded.article_id THEN article_aliases.origin ELSE 'file' END, article_id = excluded.article_id;`,
    );
  }
  return statements;
}

/**
 * Takes these articles off the site and keeps them: a draft (no reader query
 * shows one) marked gone since `now`, so their URLs answer 410. Their
 * comments, tags and aliases stay; publishing their file again restores them.
 */
export function buildOfflineStatements(slugs: string[], now: number, maxBytes: number): string[] {
  return chunkRows(slugs.map(sqlString), maxBytes).map(
    (list) => `UPDATE articles SET status = 'draft', gone_at = ${Math.trunc(now)} WHERE slug IN (${list.join(", ")}) AND gone_at IS NULL;`,
  );
}

/** Lists of SQL row fragments, each at most ROWS_PER_STATEMENT long and a third of maxBytes in size (a statement may hold its list three times). */
function chunkRows(rows: string[], maxBytes: number): string[][] {
  return chunkList(rows, { maxItems: ROWS_PER_STATEMENT, maxBytes: maxBytes / 3 }, (row) => byteLength(row) + 2);
}
