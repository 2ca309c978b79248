// The redirects table's SQL: old URLs (a WordPress site's) and where they live
// now, and the one check a redirect makes of the row it leads to.
import { and, eq, inArray, or } from "drizzle-orm";
import { isVisibleArticle, isVisibleStaticPage } from "../articles/visibility";
import type { Db } from "../db/client";
import { type ArticleKind, articleAliases, articles, redirects } from "../db/schema";

interface RedirectRow {
  fromPath: string;
  toPath: string;
  status: number;
}

/** The rows stored under any of `keys` (normalized, src/redirects/normalize.ts), in the order of `keys`. */
export async function listRedirectRows(db: Db, keys: string[]): Promise<RedirectRow[]> {
  if (keys.length === 0) return [];
  const rows = await db
    .select({ fromPath: redirects.fromPath, toPath: redirects.toPath, status: redirects.status })
    .from(redirects)
    .where(inArray(redirects.fromPath, keys));
  const byKey = new Map(rows.map((row) => [row.fromPath, row]));
  return keys.flatMap((key) => byKey.get(key) ?? []);
}

interface VisibleTarget {
  kind: ArticleKind;
  slug: string;
}

/**
 * The article or static page a redirect leads to, by its slug or an old one
 * (an alias), while a reader may see it; null for a draft, a scheduled row
 * (its old links must not give its slug away before its date) or none.
 */
export async function getVisibleTarget(db: Db, slug: string, now: number): Promise<VisibleTarget | null> {
  const visible = or(isVisibleArticle(now), isVisibleStaticPage(now));
  const [direct, aliased] = await db.batch([
    db
      .select({ kind: articles.kind, slug: articles.slug })
      .from(articles)
      .where(and(eq(articles.slug, slug), visible))
      .limit(1),
    db
      .select({ kind: articles.kind, slug: articles.slug })
      .from(articleAliases)
      .innerJoin(articles, eq(articles.id, articleAliases.articleId))
      .where(and(eq(articleAliases.slug, slug), visible))
      .limit(1),
  ]);
  return direct[0] ?? aliased[0] ?? null;
}
