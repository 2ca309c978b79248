// What D1 holds, as far as the publisher cares: one wrangler call, two queries.

import { ARTICLE_KINDS, NAV_PLACES, PAGE_ROLES, type PageRole } from "../../src/db/schema";
import type { StoredAlias, StoredArticle, StoredState } from "../publish/publish-plan";
import { type D1Runner, type D1Target, isRecord, wranglerRunner } from "./wrangler";

const STATE_SQL = [
  "SELECT a.slug, a.source_hash, a.html_version, a.source_path, a.source_id, a.gone_at, a.status, a.role, a.nav, a.kind, a.published_at, a.pinned, (SELECT count(*) FROM comments c WHERE c.article_id = a.id) AS comment_count FROM articles a ORDER BY a.slug;",
  "SELECT al.slug AS alias, a.slug AS article_slug FROM article_aliases al JOIN articles a ON a.id = al.article_id ORDER BY al.slug;",
];

/** The stored articles and aliases of the target D1. */
export async function readStoredState(target: D1Target, runner: D1Runner = wranglerRunner(target)): Promise<StoredState> {
  const [articles = [], aliases = []] = await runner.query(STATE_SQL);
  return { articles: articles.map(parseStoredArticle), aliases: aliases.map(parseStoredAlias) };
}

function parseStoredArticle(row: unknown): StoredArticle {
  if (!isRecord(row) || typeof row.slug !== "string" || typeof row.comment_count !== "number") throw unexpected(row);
  return {
    slug: row.slug,
    sourceHash: textOrNull(row.source_hash, row),
    htmlVersion: textOrNull(row.html_version, row),
    sourcePath: textOrNull(row.source_path, row),
    commentCount: row.comment_count,
    sourceId: textOrNull(row.source_id, row),
    goneAt: typeof row.gone_at === "number" ? row.gone_at : null,
    status: row.status === "draft" ? "draft" : "published",
    role: parseRole(row.role, row),
    nav: parseChoice(NAV_PLACES, row.nav, row),
    kind: parseChoice(ARTICLE_KINDS, row.kind, row) ?? "article",
    publishedAt: typeof row.published_at === "number" ? row.published_at : null,
    pinned: row.pinned === 1,
  };
}

function parseStoredAlias(row: unknown): StoredAlias {
  if (!isRecord(row) || typeof row.alias !== "string" || typeof row.article_slug !== "string") throw unexpected(row);
  return { alias: row.alias, articleSlug: row.article_slug };
}

function parseRole(value: unknown, row: unknown): PageRole | null {
  return parseChoice(PAGE_ROLES, value, row);
}

function parseChoice<T extends string>(choices: readonly T[], value: unknown, row: unknown): T | null {
  if (value === null) return null;
  const choice = choices.find((c) => c === value);
  if (!choice) throw unexpected(row);
  return choice;
}

function textOrNull(value: unknown, row: unknown): string | null {
  if (value === null || typeof value === "string") return value;
  throw unexpected(row);
}

function unexpected(row: unknown): Error {
  return new Error(`unexpected row from D1: ${JSON.stringify(row)}`);
}
