// Translations: articles sharing a translation key are one group. An article
// page links the group's other versions; lists and feeds show one entry per group.
import { type SQL, sql } from "drizzle-orm";
import type { Bound } from "../db/reuse";
import { KIND_ARTICLE, LANGUAGES, type Language } from "../db/schema";
import { visibleSql } from "./visibility";

export interface Translation {
  lang: Language;
  slug: string;
  title: string;
}

/** The visible articles sharing this one's translation key, as a JSON array of {lang, slug, title}. */
export function translationListSql(now: Bound<number>) {
  return sql<string | null>`(
    SELECT json_group_array(json_object('lang', tr.lang, 'slug', tr.slug, 'title', tr.title)) FROM articles tr
    WHERE tr.translation_key = articles.translation_key
      -- "+": found by the key (articles_by_translation_key), not by scanning every visible article.
      AND ${visibleSql(KIND_ARTICLE, now, { alias: "tr", unindexed: true })})`;
}

function isTranslation(value: unknown): value is Translation {
  if (typeof value !== "object" || value === null) return false;
  const { lang, slug, title } = value as Record<string, unknown>;
  return (LANGUAGES as readonly unknown[]).includes(lang) && typeof slug === "string" && typeof title === "string";
}

/** One version per language (the article itself for its own), sorted by language; none when it stands alone. */
export function parseTranslations(list: string | null, own: Translation): Translation[] {
  const byLang = new Map<Language, Translation>([[own.lang, own]]);
  const parsed: unknown = list ? JSON.parse(list) : [];
  const rows = (Array.isArray(parsed) ? parsed : []).filter(isTranslation);
  for (const row of rows.sort((a, b) => a.slug.localeCompare(b.slug))) if (!byLang.has(row.lang)) byLang.set(row.lang, row);
  if (byLang.size < 2) return [];
  return [...byLang.values()].sort((a, b) => a.lang.localeCompare(b.lang));
}

/**
 * One entry per translation group in lists and feeds: an article stands for
 * its group unless it is not in the site's default language and a visible
 * version in that language exists (with the same tag, on a tag's list).
 */
export function representsGroup(now: Bound<number>, defaultLang: Bound<Language>, tagSlug?: Bound<string>) {
  return representsGroupWhere(
    now,
    defaultLang,
    tagSlug ? sql`AND EXISTS (SELECT 1 FROM article_tags ot JOIN tags ott ON ott.id = ot.tag_id WHERE ot.article_id = o.id AND ott.slug = ${tagSlug})` : sql``,
  );
}

/** representsGroup with the condition ("AND …" on the sibling `o`) a default-language sibling must meet to take the place. */
export function representsGroupWhere(now: Bound<number>, defaultLang: Bound<Language>, siblingCondition: SQL) {
  return sql`(articles.translation_key IS NULL OR articles.lang = ${defaultLang} OR NOT EXISTS (
    SELECT 1 FROM articles o WHERE o.translation_key = articles.translation_key AND +o.lang = ${defaultLang}
      -- "+": the sibling is found by the key (articles_by_translation_key): on the visibility
      -- index this would read every visible article for each translated one.
      AND ${visibleSql(KIND_ARTICLE, now, { alias: "o", unindexed: true })} ${siblingCondition}))`;
}
