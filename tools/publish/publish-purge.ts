// Which cached pages a publish changes, as edge cache tags (src/cache/).
import { cacheTags } from "../../src/cache/tags";
import type { ArticleSource } from "./front-matter";
import type { PublishPlan, StoredArticle } from "./publish-plan";

function sourceTags(source: ArticleSource): string[] {
  return [
    cacheTags.article(source.fields.slug),
    ...source.fields.tags.map((tag) => cacheTags.tag(tag.slug)),
    ...(source.fields.translationKey ? [cacheTags.translations(source.fields.translationKey)] : []),
    ...(isLinkedPage(source) ? [cacheTags.nav] : []),
  ];
}

/** A page that every page's header or footer links: placed in the navigation, or the Impressum or privacy page. */
function isLinkedPage(source: ArticleSource): boolean {
  return source.fields.page !== undefined && (source.fields.page.nav !== null || source.fields.page.role !== null);
}

function wasLinkedPage(stored: StoredArticle): boolean {
  return (stored.nav ?? null) !== null || (stored.role ?? null) !== null;
}

/**
 * The tags to purge after a plan landed: each written article's pages and
 * every list, tag page and feed that shows it (they carry its `a:` tag), its
 * tags' pages, its translations' pages, and the sitemap. A new or removed
 * article (or one taken offline, or back) shifts the home pages and the site feed, so those go too; a page
 * that navigation links (or linked) changes every page (`nav`). Search
 * results, the archive and the tag index go with any change: what a query
 * finds and what a month or tag counts may change with any article.
 */
export function listPurgeTags(plan: PublishPlan): string[] {
  const tags = new Set<string>();
  const add = (list: string[]) => {
    for (const tag of list) tags.add(tag);
  };
  for (const source of plan.added) add(sourceTags(source));
  for (const change of plan.changed) {
    add([...sourceTags(change.source), cacheTags.article(change.stored.slug)]);
    if (wasLinkedPage(change.stored)) add([cacheTags.nav]);
  }
  for (const offline of plan.offline) add([cacheTags.article(offline.slug), ...(wasLinkedPage(offline) ? [cacheTags.nav] : [])]);
  if (tags.size === 0) return [];
  add([cacheTags.sitemap, cacheTags.search, cacheTags.archive]);
  // Pages are in no list or feed: only articles coming or going shift them.
  const restored = plan.changed.filter((c) => c.reasons.includes("restored")).map((c) => c.source);
  const articlesCameOrWent =
    [...plan.added, ...restored].some((s) => s.fields.page === undefined) || plan.offline.some((s) => (s.kind ?? "article") === "article");
  if (articlesCameOrWent) add([cacheTags.lists, cacheTags.feeds]);
  // A pinned article leads the home's first page, whichever page it stood on before: pinning or unpinning reorders them all.
  const pinChanged = plan.added.some((s) => s.fields.pinned) || plan.changed.some((c) => c.source.fields.pinned !== (c.stored.pinned ?? false));
  if (pinChanged) add([cacheTags.lists]);
  return [...tags];
}
