// Checks that span several article files and D1: the slugs, aliases and tag
// spellings that one file alone cannot get wrong. Pure.
import type { PageRole } from "../../src/db/schema";
import type { ArticleSource } from "./front-matter";

/**
 * Top-level paths a page (served at /<slug>) must not take: what the Worker
 * serves itself (also the names of its files: /atom.xml, /opensearch.xml),
 * the static folders, Cloudflare's own /cdn-cgi/ (answered before the Worker
 * runs), and the WordPress paths that imports redirect (/category/…, /tag/…,
 * /author/…, /wp-content/…). test/tools/publish/publish-plan.test.ts checks it against the app's routes.
 */
export const RESERVED_PAGE_SLUGS: ReadonlySet<string> = new Set([
  ...["admin", "api", "archive", "articles", "assets", "atom", "comments", "favicon", "feed", "media", "opensearch", "page", "preview", "robots", "rss"],
  ...["my-data", "search", "sitemap", "tags", "cdn-cgi"],
  ...["author", "category", "tag", "wp-admin", "wp-content", "wp-includes", "wp-json", "wp-login"],
]);

/** One problem at a line of one file (path relative to the content directory). */
export interface PlanError {
  path: string;
  line: number;
  message: string;
}

export interface D1Facts {
  /** Slugs of stored articles without a file: they stay in D1 (on the site, or offline after --prune). */
  staying: Set<string>;
  aliases: { alias: string; articleSlug: string }[];
  /** Roles of stored pages without a file that this publish leaves on the site. */
  stayingRoles: { role: PageRole; slug: string }[];
}

/** Duplicate slugs, aliases that are (or redirect to) another article, one tag spelled two ways, two translations in one language. */
export function checkSources(sources: ArticleSource[], d1: D1Facts, displayPath: (path: string) => string): PlanError[] {
  const ordered = [...sources].sort((a, b) => a.path.localeCompare(b.path));
  const slugOwners = new Map<string, ArticleSource>();
  const errors: PlanError[] = [];
  for (const source of ordered) {
    const first = slugOwners.get(source.fields.slug);
    if (first) errors.push(at(source, source.lines.slug, `slug: "${source.fields.slug}" is already used by ${displayPath(first.path)}`));
    else slugOwners.set(source.fields.slug, source);
  }
  const aliasCheck = checkAlias(slugOwners, d1, displayPath);
  const staleAliases = staleAliasTargets(d1);
  for (const source of ordered) {
    const target = staleAliases.get(source.fields.slug);
    if (target)
      errors.push(
        at(source, source.lines.slug, `slug: "${source.fields.slug}" is ${stale(`an alias of the article "${target}"`, target, "choose another slug")}`),
      );
    source.fields.aliases.forEach((alias, i) => {
      const problem = aliasCheck(alias, source);
      if (problem) errors.push(at(source, source.lines.aliases[i] ?? 1, `aliases: ${problem}`));
    });
  }
  errors.push(...checkTagSpellings(ordered, displayPath), ...checkTranslations(ordered, displayPath), ...checkPages(ordered, d1, displayPath));
  return errors.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
}

function checkAlias(slugOwners: Map<string, ArticleSource>, d1: D1Facts, displayPath: (path: string) => string) {
  const aliasOwners = new Map<string, ArticleSource>();
  const staleAliases = staleAliasTargets(d1);
  return (alias: string, source: ArticleSource): string | null => {
    const owner = slugOwners.get(alias);
    if (owner) return `"${alias}" is the slug of another article (${displayPath(owner.path)})`;
    const first = aliasOwners.get(alias);
    if (first) return `"${alias}" is also an alias in ${displayPath(first.path)}`;
    aliasOwners.set(alias, source);
    if (d1.staying.has(alias)) return `"${alias}" is ${stale("an article", alias)}`;
    const target = staleAliases.get(alias);
    return target ? `"${alias}" already ${stale(`redirects to the article "${target}"`, target)}` : null;
  };
}

function checkTagSpellings(sources: ArticleSource[], displayPath: (path: string) => string): PlanError[] {
  const firstSpelling = new Map<string, { name: string; path: string }>();
  const errors: PlanError[] = [];
  for (const source of sources) {
    source.fields.tags.forEach((tag, i) => {
      const first = firstSpelling.get(tag.slug);
      if (!first) firstSpelling.set(tag.slug, { name: tag.name, path: source.path });
      else if (first.name !== tag.name) {
        const message = `tags: "${tag.name}" is spelled "${first.name}" in ${displayPath(first.path)}; use one spelling`;
        errors.push(at(source, source.lines.tags[i] ?? 1, message));
      }
    });
  }
  return errors;
}

/** Translations share a key; each language may have only one of them, or hreflang would be ambiguous. */
function checkTranslations(sources: ArticleSource[], displayPath: (path: string) => string): PlanError[] {
  const first = new Map<string, ArticleSource>();
  const errors: PlanError[] = [];
  for (const source of sources) {
    const { translationKey, lang } = source.fields;
    if (translationKey === null) continue;
    const other = first.get(`${lang}:${translationKey}`);
    if (!other) first.set(`${lang}:${translationKey}`, source);
    else
      errors.push(
        at(
          source,
          source.lines.translationKey,
          `translationKey: "${translationKey}" is already the key of ${displayPath(other.path)} in the same language (${lang}); translations need different languages`,
        ),
      );
  }
  return errors;
}

/** A page's slug and aliases stay off the blog's own paths; each role (imprint, privacy) has one page. */
function checkPages(sources: ArticleSource[], d1: D1Facts, displayPath: (path: string) => string): PlanError[] {
  const roleOwners = new Map<PageRole, string>(d1.stayingRoles.map((r) => [r.role, `the page "${r.slug}" in D1 that has no file here`]));
  const errors: PlanError[] = [];
  for (const source of sources) {
    const { page, slug, aliases } = source.fields;
    if (!page) continue;
    const reserved = (name: string) => `"${name}" is a path the blog itself uses (/${name}); choose another`;
    if (RESERVED_PAGE_SLUGS.has(slug)) errors.push(at(source, source.lines.slug, `slug: ${reserved(slug)} slug for this page`));
    aliases.forEach((alias, i) => {
      if (RESERVED_PAGE_SLUGS.has(alias)) errors.push(at(source, source.lines.aliases[i] ?? 1, `aliases: ${reserved(alias)} alias`));
    });
    if (page.role === null) continue;
    const owner = roleOwners.get(page.role);
    if (owner) errors.push(at(source, source.lines.role ?? 1, `role: "${page.role}" is already the role of ${owner}; a site has one such page`));
    else roleOwners.set(page.role, displayPath(source.path));
  }
  return errors;
}

/** Aliases in D1 that point at articles which stay without a file: alias -> article slug. */
function staleAliasTargets(d1: D1Facts): Map<string, string> {
  return new Map(d1.aliases.filter((a) => d1.staying.has(a.articleSlug)).map((a) => [a.alias, a.articleSlug]));
}

function stale(what: string, slug: string, remedy = "drop this alias"): string {
  return `${what} in D1 that has no file here; ${remedy}, or delete "${slug}" for good with npm run delete -- ${slug}`;
}

function at(source: ArticleSource, line: number, message: string): PlanError {
  return { path: source.path, line, message };
}
