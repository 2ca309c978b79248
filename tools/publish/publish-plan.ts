// The publish plan: which articles are new, changed, unchanged or gone,
// compared with what D1 holds, after the checks that span several files and
// D1. Pure: the CLI reads files and D1, this decides.

import { isCurrentHtml } from "../../src/articles/markdown";
import type { ArticleKind, NavPlace, PageRole } from "../../src/db/schema";
import type { ArticleSource } from "./front-matter";
import { checkSources, type PlanError } from "./publish-checks";

export type { PlanError } from "./publish-checks";

/** An article as D1 holds it, as far as publishing cares. */
export interface StoredArticle {
  slug: string;
  sourceHash: string | null;
  htmlVersion: string | null;
  sourcePath: string | null;
  commentCount: number;
  /** A stored page's role (imprint, privacy); absent or null otherwise. */
  role?: PageRole | null;
  /** A stored page's navigation place; absent or null otherwise. */
  nav?: NavPlace | null;
  /** Article or page; absent means article. */
  kind?: ArticleKind;
  /** When it was first published (epoch ms); null while it is a draft; absent when not read. */
  publishedAt?: number | null;
  /** Leads the home page; absent when not read. */
  pinned?: boolean;
}

export interface StoredAlias {
  alias: string;
  articleSlug: string;
}

export interface StoredState {
  articles: StoredArticle[];
  aliases: StoredAlias[];
}

/** Why a stored article is written again: its file, the renderer, the file's path, or its slug changed. */
type ChangeReason = "content" | "renderer" | "moved" | "renamed";

export interface ArticleChange {
  source: ArticleSource;
  stored: StoredArticle;
  reasons: ChangeReason[];
}

export interface PublishPlan {
  added: ArticleSource[];
  changed: ArticleChange[];
  unchanged: ArticleSource[];
  /** Stored articles with no file; only filled with `prune` or `remove`. */
  removed: StoredArticle[];
  /** New or changed files left out because they are not among the selected paths. */
  skipped: ArticleSource[];
}

export interface PlanOptions {
  prune: boolean;
  /** Stored articles to remove whose file is gone, by slug, also without `prune` (the samples the WordPress import removes). */
  remove?: ReadonlySet<string>;
  /** Limits writing to these files; all files are still checked. Default: all. */
  isSelected?: (path: string) => boolean;
  /** How messages name a file (e.g. relative to the working directory). */
  displayPath?: (path: string) => string;
}

export type PlanResult = { ok: true; plan: PublishPlan } | { ok: false; errors: PlanError[] };

/**
 * Compares parsed article files with D1's state. A file whose `aliases` name
 * a stored article that no file claims by slug renames that article (same
 * row, so its comments stay) instead of adding a new one.
 */
export function planPublish(sources: ArticleSource[], state: StoredState, options: PlanOptions): PlanResult {
  const storedBySlug = new Map(state.articles.map((a) => [a.slug, a]));
  const claims = claimStoredArticles(sources, storedBySlug);
  const claimed = new Set([...claims.values()].map((a) => a.slug));
  const unclaimed = state.articles.filter((a) => !claimed.has(a.slug));
  const removed = unclaimed.filter((a) => options.prune || options.remove?.has(a.slug));
  // Stored articles without a file that this publish leaves in place.
  const gone = new Set(removed);
  const staying = new Set(unclaimed.filter((a) => !gone.has(a)).map((a) => a.slug));
  const stayingRoles = unclaimed.flatMap((a) => (a.role && staying.has(a.slug) ? [{ role: a.role, slug: a.slug }] : []));
  const errors = checkSources(sources, { staying, aliases: state.aliases, stayingRoles }, options.displayPath ?? ((p) => p));
  if (errors.length > 0) return { ok: false, errors };
  const plan: PublishPlan = { added: [], changed: [], unchanged: [], removed, skipped: [] };
  for (const source of sources) {
    const stored = claims.get(source);
    const reasons = stored ? changeReasons(source, stored) : [];
    const selected = options.isSelected?.(source.path) ?? true;
    if (stored && reasons.length === 0) plan.unchanged.push(source);
    else if (!selected) plan.skipped.push(source);
    else if (stored) plan.changed.push({ source, stored, reasons });
    else plan.added.push(source);
  }
  return { ok: true, plan };
}

/** True when applying the plan would write anything. */
export function hasWrites(plan: PublishPlan): boolean {
  return plan.added.length + plan.changed.length + plan.removed.length > 0;
}

function claimStoredArticles(sources: ArticleSource[], storedBySlug: Map<string, StoredArticle>): Map<ArticleSource, StoredArticle> {
  const sourceSlugs = new Set(sources.map((s) => s.fields.slug));
  const claims = new Map<ArticleSource, StoredArticle>();
  for (const source of sources) {
    const bySlug = storedBySlug.get(source.fields.slug);
    const renamed = bySlug ? undefined : source.fields.aliases.find((a) => storedBySlug.has(a) && !sourceSlugs.has(a));
    const stored = bySlug ?? (renamed === undefined ? undefined : storedBySlug.get(renamed));
    if (stored) claims.set(source, stored);
  }
  return claims;
}

function changeReasons(source: ArticleSource, stored: StoredArticle): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  if (stored.slug !== source.fields.slug) reasons.push("renamed");
  if (stored.sourceHash !== source.sourceHash) reasons.push("content");
  else if (!isCurrentHtml(stored.htmlVersion, source.bodyHash)) reasons.push("renderer");
  if (stored.sourcePath !== source.path) reasons.push("moved");
  return reasons;
}
