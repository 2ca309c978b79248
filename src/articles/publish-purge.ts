// Which cached pages a publish changes, as edge cache tags (src/cache/).
import { cacheTags } from "../cache/tags";
import type { ArticleSource } from "./front-matter";
import type { PublishPlan } from "./publish-plan";

function sourceTags(source: ArticleSource): string[] {
  return [
    cacheTags.article(source.fields.slug),
    ...source.fields.tags.map((tag) => cacheTags.tag(tag.slug)),
    ...(source.fields.translationKey ? [cacheTags.translations(source.fields.translationKey)] : []),
  ];
}

/**
 * The tags to purge after a plan landed: each written article's pages and
 * every list, tag page and feed that shows it (they carry its `a:` tag), its
 * tags' pages, its translations' pages, and the sitemap. A new or removed
 * article shifts the home pages and the site feed, so those go too. Search
 * results, the archive and the tag index go with any change: what a query
 * finds and what a month or tag counts may change with any article.
 */
export function listPurgeTags(plan: PublishPlan): string[] {
  const tags = new Set<string>();
  const add = (list: string[]) => {
    for (const tag of list) tags.add(tag);
  };
  for (const source of plan.added) add(sourceTags(source));
  for (const change of plan.changed) add([...sourceTags(change.source), cacheTags.article(change.stored.slug)]);
  for (const removed of plan.removed) add([cacheTags.article(removed.slug)]);
  if (tags.size === 0) return [];
  add([cacheTags.sitemap, cacheTags.search, cacheTags.archive]);
  if (plan.added.length > 0 || plan.removed.length > 0) add([cacheTags.lists, cacheTags.feeds]);
  return [...tags];
}
