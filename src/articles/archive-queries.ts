// SQL for finding around: the archive (articles per month in the site's time
// zone) and the tag index (tags in use with their counts). Each in one query,
// counting one article per translation group, as the lists show them.
import { min, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles, KIND_ARTICLE, type Language } from "../db/schema";
import { getMonthStart, getZonedMonth } from "./site-dates";
import { representsGroup, representsGroupWhere } from "./translations";
import { isVisibleArticle, nextScheduledSql, visibleInRangeSql } from "./visibility";

/** The archive starts here; articles dated earlier are not counted. */
export const ARCHIVE_FIRST_YEAR = 1970;

export interface ArchiveMonth {
  year: number;
  /** 1–12. */
  month: number;
  count: number;
}

export interface TagCount {
  slug: string;
  name: string;
  count: number;
}

export interface Counted<T> {
  items: T[];
  /** When the next scheduled article becomes visible (epoch ms), or null; only known when there are items. */
  nextScheduledAt: number | null;
}

/**
 * Every month from `first` to `now`'s, with its bounds in the zone, as SQL
 * VALUES rows. SQLite knows no time zones, so the bounds are computed here:
 * exact across DST, whatever the zone. Each bound asks Intl for the zone's
 * offset (microseconds each, and a blog's whole life of months adds up), so
 * the table starts at the first article's month, each bound is computed once
 * (a month's end is the next one's start), and the table is kept per zone,
 * first month and current month.
 */
const monthTables = new Map<string, string>();
function monthValues(now: number, timeZone: string, first: { year: number; month: number }): string {
  const current = getZonedMonth(now, timeZone);
  const key = `${timeZone}|${first.year}-${first.month}|${current.year}-${current.month}`;
  let values = monthTables.get(key);
  if (!values) {
    const rows: string[] = [];
    let { year: y, month: m } = first;
    let start = getMonthStart(y, m, timeZone);
    while (y < current.year || (y === current.year && m <= current.month)) {
      const end = getMonthStart(y, m + 1, timeZone);
      rows.push(`(${y}, ${m}, ${start}, ${end})`);
      start = end;
      y += m === 12 ? 1 : 0;
      m = m === 12 ? 1 : m + 1;
    }
    values = rows.join(", ");
    monthTables.set(key, values);
  }
  return values;
}

/** When the first visible article was published (epoch ms), or null when none is: one end of the index. */
async function getFirstVisibleAt(db: Db, now: number): Promise<number | null> {
  const [row] = await db
    .select({ first: min(articles.publishedAt) })
    .from(articles)
    .where(isVisibleArticle(now));
  return row?.first ?? null;
}

/**
 * The months with visible articles, newest first, with how many each has, as
 * counted from the index, and the articles version they were counted from
 * (src/articles/archive-counts.ts keeps the result).
 */
export async function countArchiveMonths(db: Db, opts: { now: number; timeZone: string; defaultLang: Language }) {
  const firstAt = await getFirstVisibleAt(db, opts.now);
  if (firstAt === null) return [];
  const firstMonth = getZonedMonth(firstAt, opts.timeZone);
  const first = firstMonth.year < ARCHIVE_FIRST_YEAR ? { year: ARCHIVE_FIRST_YEAR, month: 1 } : firstMonth;
  return db.all<ArchiveMonth & { nextScheduled: number | null; version: number }>(sql`
    WITH months (y, m, m_from, m_to) AS (VALUES ${sql.raw(monthValues(opts.now, opts.timeZone, first))}),
    -- Each month's count on its own (no GROUP BY sorting every article): one range on articles_by_kind, read from the
    -- index alone (migrations/0014).
    counted (y, m, n) AS MATERIALIZED (SELECT y, m, (SELECT count(*) FROM articles INDEXED BY articles_by_kind
      WHERE ${visibleInRangeSql(KIND_ARTICLE, { from: sql`months.m_from`, to: sql`months.m_to` }, opts.now, { alias: "articles" })}
        AND ${representsGroup(opts.now, opts.defaultLang)}) FROM months)
    SELECT y AS year, m AS month, n AS count, ${nextScheduledSql(opts.now)} AS nextScheduled,
      (SELECT version FROM articles_version WHERE id = 1) AS version
    FROM counted WHERE n > 0
    ORDER BY y DESC, m DESC`);
}

const collator = new Intl.Collator("de", { sensitivity: "base", numeric: true });

/** Every tag on a visible article, with how many it has, sorted by name as German readers sort. */
export async function listTagCounts(db: Db, opts: { now: number; defaultLang: Language }): Promise<Counted<TagCount>> {
  const sameTag = sql`AND EXISTS (SELECT 1 FROM article_tags ot WHERE ot.article_id = o.id AND ot.tag_id = t.id)`;
  const rows = await db.all<TagCount & { nextScheduled: number | null }>(sql`
    SELECT t.slug AS slug, t.name AS name, count(*) AS count, ${nextScheduledSql(opts.now)} AS nextScheduled
    FROM tags t JOIN article_tags at ON at.tag_id = t.id JOIN articles ON articles.id = at.article_id
    WHERE ${isVisibleArticle(opts.now)} AND ${representsGroupWhere(opts.now, opts.defaultLang, sameTag)}
    GROUP BY t.id`);
  const items = rows.map(({ slug, name, count }) => ({ slug, name, count })).sort((a, b) => collator.compare(a.name, b.name) || a.slug.localeCompare(b.slug));
  return { items, nextScheduledAt: rows[0]?.nextScheduled ?? null };
}
