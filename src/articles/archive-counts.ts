// The archive's month counts, kept in D1 (migrations/0015): one row read
// instead of one index entry per visible article. A kept count is read only
// while the articles table has the version it was counted from and no
// scheduled article has become visible since. A reader's request never
// writes: when nothing current is kept (an article changed since), it counts
// for itself, from the index, and keeps nothing; the 10-minute cron
// (src/jobs.ts) counts and keeps. It stores a count only when the primary
// still has the version it was made from.
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { archiveCounts, type Language } from "../db/schema";
import { type ArchiveMonth, type Counted, countArchiveMonths } from "./archive-queries";
import { getZonedMonth } from "./site-dates";

export interface ArchiveOptions {
  now: number;
  timeZone: string;
  defaultLang: Language;
}

/** What a kept count was made for: the zone and language it was counted in, and the month it runs to. */
function countsKey(opts: ArchiveOptions): string {
  const { year, month } = getZonedMonth(opts.now, opts.timeZone);
  return `${opts.timeZone}|${opts.defaultLang}|${year}-${month}`;
}

/** The articles version now (on the primary, in a write). */
const currentVersion = sql`(SELECT version FROM articles_version WHERE id = 1)`;

function isArchiveMonth(value: unknown): value is ArchiveMonth {
  const { year, month, count } = (value ?? {}) as Record<string, unknown>;
  return Number.isInteger(year) && Number.isInteger(month) && Number.isInteger(count);
}

/** The kept months, or null when the kept text cannot be read as months (then they are counted again). */
function parseKept(months: string): ArchiveMonth[] | null {
  try {
    const parsed: unknown = JSON.parse(months);
    return Array.isArray(parsed) && parsed.every(isArchiveMonth) ? parsed : null;
  } catch {
    return null;
  }
}

/** The query for the kept counts of `opts` (no row when none are kept for now); batch it with the page's other reads. */
export function keptArchiveMonthsQuery(db: Db, opts: ArchiveOptions) {
  return db
    .select({ months: archiveCounts.months, validUntil: archiveCounts.validUntil })
    .from(archiveCounts)
    .where(
      and(
        eq(archiveCounts.key, countsKey(opts)),
        eq(archiveCounts.version, currentVersion),
        or(isNull(archiveCounts.validUntil), gt(archiveCounts.validUntil, opts.now)),
      ),
    );
}

/**
 * The months with visible articles, newest first, with how many each has:
 * from keptArchiveMonthsQuery's rows, else counted here (and not kept).
 */
export async function listArchiveMonths(
  db: Db,
  opts: ArchiveOptions,
  keptRows: Awaited<ReturnType<typeof keptArchiveMonthsQuery>>,
): Promise<Counted<ArchiveMonth>> {
  return readKept(keptRows) ?? toCounted(await countArchiveMonths(db, opts));
}

function readKept(keptRows: Awaited<ReturnType<typeof keptArchiveMonthsQuery>>): Counted<ArchiveMonth> | null {
  const kept = keptRows[0];
  const months = kept ? parseKept(kept.months) : null;
  return kept && months ? { items: months, nextScheduledAt: kept.validUntil } : null;
}

/**
 * The cron's part: counts the months and keeps them, unless current counts
 * are kept already. Returns whether it counted.
 */
export async function refreshArchiveMonths(db: Db, opts: ArchiveOptions): Promise<boolean> {
  if (readKept(await keptArchiveMonthsQuery(db, opts))) return false;
  // Every row carries the version it was counted from (one statement: one snapshot).
  const counted = await countArchiveMonths(db, opts);
  // An empty archive cannot tell when the first scheduled article comes (nextScheduledAt is null): not kept.
  const version = counted[0]?.version;
  if (version !== undefined) await keepArchiveMonths(db, countsKey(opts), version, toCounted(counted));
  return true;
}

function toCounted(rows: (ArchiveMonth & { nextScheduled: number | null })[]): Counted<ArchiveMonth> {
  return { items: rows.map(({ year, month, count }) => ({ year, month, count })), nextScheduledAt: rows[0]?.nextScheduled ?? null };
}

/**
 * Stores counts made from `version`, unless the articles have changed since on
 * the primary. A failed write only costs the next reader a count.
 */
export async function keepArchiveMonths(db: Db, key: string, version: number, found: Counted<ArchiveMonth>): Promise<void> {
  try {
    await db.run(sql`INSERT INTO archive_counts (key, version, valid_until, months)
      SELECT ${key}, ${version}, ${found.nextScheduledAt}, ${JSON.stringify(found.items)} WHERE ${currentVersion} = ${version}
      ON CONFLICT (key) DO UPDATE SET version = excluded.version, valid_until = excluded.valid_until, months = excluded.months`);
  } catch (err) {
    console.error("archive counts not kept:", err);
  }
}
