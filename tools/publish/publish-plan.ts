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
  /** The `id:` of the file it was last published from; absent or null for rows from before ids (or written by hand). */
  sourceId?: string | null;
  /** When --prune took it off the site (epoch ms); absent or null while it is on it. */
  goneAt?: number | null;
  /** A stored page's role (imprint, privacy); absent or null otherwise. */
  role?: PageRole | null;
  /** A stored page's navigation place; absent or null otherwise. */
  nav?: NavPlace | null;
  /** Article or page; absent means article. */
  kind?: ArticleKind;
  /** When it was first published (epoch ms); null while it is a draft; absent when not read. */
  publishedAt?: number | null;
  /** Whether it is published (absent: published when publishedAt is set). */
  status?: "draft" | "published";
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

/**
 * Why a stored article is written again: its file, the renderer, the file's
 * path or its slug changed, or its file came back after --prune took it offline.
 */
type ChangeReason = "content" | "renderer" | "moved" | "renamed" | "restored";

export interface ArticleChange {
  source: ArticleSource;
  stored: StoredArticle;
  reasons: ChangeReason[];
}

export interface PublishPlan {
  added: ArticleSource[];
  changed: ArticleChange[];
  unchanged: ArticleSource[];
  /** Stored articles on the site whose file is gone; listed, left as they are (without `prune`). */
  gone: StoredArticle[];
  /** Stored articles on the site whose file is gone, taken offline by this publish (`prune`): kept in D1, 410 to readers. */
  offline: StoredArticle[];
  /** New or changed files left out because they are not among the selected paths. */
  skipped: ArticleSource[];
}

export interface PlanOptions {
  prune: boolean;
  /** Stored articles whose file is gone to take offline by slug, also without `prune` (the samples the WordPress import removes): kept in D1, as with `prune`. */
  remove?: ReadonlySet<string>;
  /** Limits writing to these files; all files are still checked. Default: all. */
  isSelected?: (path: string) => boolean;
  /** How messages name a file (e.g. relative to the working directory). */
  displayPath?: (path: string) => string;
}

export type PlanResult = { ok: true; plan: PublishPlan } | { ok: false; errors: PlanError[] };

/**
 * Compares parsed article files with D1's state. Each file finds the stored
 * article it publishes by its `id:`, else (a file without one, or one D1 has
 * not seen) by its path, its slug, then its aliases, among the stored rows
 * without another id: a file whose slug changed renames its article (the
 * same row, so its comments, tags and translations stay) instead of adding
 * one. Stored articles no file finds are listed as gone; `prune` takes them
 * off the site and keeps them in D1.
 */
export function planPublish(sources: ArticleSource[], state: StoredState, options: PlanOptions): PlanResult {
  const displayPath = options.displayPath ?? ((p: string) => p);
  const duplicateIds = checkDuplicateIds(sources, displayPath);
  if (duplicateIds.length > 0) return { ok: false, errors: duplicateIds };
  const claims = claimStoredArticles(sources, state.articles);
  const claimed = new Set(claims.values());
  const unclaimed = state.articles.filter((a) => !claimed.has(a));
  const live = unclaimed.filter((a) => (a.goneAt ?? null) === null);
  // Every unclaimed row stays in D1 (prune only takes it offline): its slug and aliases stay taken.
  const staying = new Set(unclaimed.map((a) => a.slug));
  // `prune` takes every live article without a file offline; `remove` only those it names (the samples an import removes).
  const offline = live.filter((a) => options.prune || options.remove?.has(a.slug));
  const goneLive = live.filter((a) => !offline.includes(a));
  const stayingRoles = goneLive.flatMap((a) => (a.role ? [{ role: a.role, slug: a.slug }] : []));
  const errors = [
    ...checkSources(sources, { staying, aliases: state.aliases, stayingRoles }, displayPath),
    ...checkTakenSlugs(sources, claims, state.articles, claimed, displayPath),
  ];
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line) };
  const plan: PublishPlan = { added: [], changed: [], unchanged: [], gone: goneLive, offline, skipped: [] };
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
  return plan.added.length + plan.changed.length + plan.offline.length > 0;
}

/** Two files with one `id:` (a copied file): each is named, nothing is published. */
function checkDuplicateIds(sources: ArticleSource[], displayPath: (path: string) => string): PlanError[] {
  const first = new Map<string, ArticleSource>();
  const errors: PlanError[] = [];
  for (const source of [...sources].sort((a, b) => a.path.localeCompare(b.path))) {
    const { id } = source.fields;
    if (id === null) continue;
    const other = first.get(id);
    if (!other) first.set(id, source);
    else
      errors.push({
        path: source.path,
        line: source.lines.id,
        message: `id: "${id}" is also the id of ${displayPath(other.path)}; two files cannot be one article. If this file is a copy, delete its id: line (publishing writes a new one)`,
      });
  }
  return errors;
}

function claimStoredArticles(sources: ArticleSource[], stored: StoredArticle[]): Map<ArticleSource, StoredArticle> {
  const claims = new Map<ArticleSource, StoredArticle>();
  const taken = new Set<StoredArticle>();
  const claim = (source: ArticleSource, article: StoredArticle | undefined) => {
    if (!article || taken.has(article) || claims.has(source)) return;
    // An id decides when both have one; a row without one is found by path or slug.
    if (source.fields.id !== null && (article.sourceId ?? null) !== null && article.sourceId !== source.fields.id) return;
    claims.set(source, article);
    taken.add(article);
  };
  const byId = new Map(stored.flatMap((a) => (a.sourceId ? [[a.sourceId, a] as const] : [])));
  for (const source of sources) if (source.fields.id !== null) claim(source, byId.get(source.fields.id));
  // A path two rows share (an earlier publish added a row for a changed slug) decides nothing.
  const pathCounts = new Map<string, number>();
  for (const a of stored) if (a.sourcePath !== null) pathCounts.set(a.sourcePath, (pathCounts.get(a.sourcePath) ?? 0) + 1);
  const byPath = new Map(stored.flatMap((a) => (a.sourcePath !== null && pathCounts.get(a.sourcePath) === 1 ? [[a.sourcePath, a] as const] : [])));
  for (const source of sources) claim(source, byPath.get(source.path));
  const bySlug = new Map(stored.map((a) => [a.slug, a]));
  for (const source of sources) claim(source, bySlug.get(source.fields.slug));
  const sourceSlugs = new Set(sources.map((s) => s.fields.slug));
  for (const source of sources) {
    for (const alias of source.fields.aliases) if (!sourceSlugs.has(alias)) claim(source, bySlug.get(alias));
  }
  return claims;
}

/** A file may not take the slug of a stored article that stays in D1 without it (on the site or offline). */
function checkTakenSlugs(
  sources: ArticleSource[],
  claims: Map<ArticleSource, StoredArticle>,
  stored: StoredArticle[],
  claimed: Set<StoredArticle>,
  displayPath: (path: string) => string,
): PlanError[] {
  const bySlug = new Map(stored.map((a) => [a.slug, a]));
  return sources.flatMap((source) => {
    const holder = bySlug.get(source.fields.slug);
    if (!holder || claims.get(source) === holder || claimed.has(holder)) return [];
    const where = holder.sourcePath ? `, published from ${displayPath(holder.sourcePath)}` : "";
    const state = (holder.goneAt ?? null) === null ? "on the site" : "offline";
    return [
      {
        path: source.path,
        line: source.lines.slug,
        message: `slug: "${holder.slug}" belongs to another article in D1 (${state}${where}${holder.sourceId ? `, id ${holder.sourceId}` : ""}) that has no file here; choose another slug, or delete that article for good with npm run delete -- ${holder.slug}`,
      },
    ];
  });
}

function changeReasons(source: ArticleSource, stored: StoredArticle): ChangeReason[] {
  const reasons: ChangeReason[] = [];
  if ((stored.goneAt ?? null) !== null) reasons.push("restored");
  if (stored.slug !== source.fields.slug) reasons.push("renamed");
  if (stored.sourceHash !== source.sourceHash) reasons.push("content");
  else if (!isCurrentHtml(stored.htmlVersion, source.bodyHash)) reasons.push("renderer");
  if (stored.sourcePath !== source.path) reasons.push("moved");
  return reasons;
}
