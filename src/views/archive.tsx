// The archive (years and months with their counts) and the tag index.
import type { ArchiveMonth, TagCount } from "../articles/archive-queries";
import { getLocale, type Translate } from "../i18n";
import { usePage } from "./page-context";

function countLabel(t: Translate, n: number): string {
  return n === 1 ? t("articleCount1") : t("articleCountN", { n });
}

// One formatter per locale: making one costs about 0.1 ms, and the archive names every month of the blog's life.
const monthFormats = new Map<string, Intl.DateTimeFormat>();

/** "März 2024" / "March 2024": the month as a calendar date, not an instant, so no zone shifts it. */
export function formatMonth(year: number, month: number, locale: string): string {
  let format = monthFormats.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" });
    monthFormats.set(locale, format);
  }
  return format.format(Date.UTC(year, month - 1, 15));
}

/** The path of an archive month: /archive/2024/03. */
export function archiveMonthPath(year: number, month: number): string {
  return `/archive/${year}/${String(month).padStart(2, "0")}`;
}

function groupByYear(months: ArchiveMonth[]): { year: number; count: number; months: ArchiveMonth[] }[] {
  const years: { year: number; count: number; months: ArchiveMonth[] }[] = [];
  for (const month of months) {
    let year = years.at(-1);
    if (year?.year !== month.year) {
      year = { year: month.year, count: 0, months: [] };
      years.push(year);
    }
    year.count += month.count;
    year.months.push(month);
  }
  return years;
}

export function ArchiveIndex(props: { months: ArchiveMonth[] }) {
  const { t, lang } = usePage();
  const locale = getLocale(lang);
  const years = groupByYear(props.months);
  return (
    <>
      <h1>{t("archiveTitle")}</h1>
      {years.length === 0 && <p>{t("archiveEmpty")}</p>}
      {years.map((year) => (
        <section class="archive-year" aria-labelledby={`year-${year.year}`}>
          <h2 id={`year-${year.year}`}>
            {year.year} <span class="count">({countLabel(t, year.count)})</span>
          </h2>
          <ul class="archive-months">
            {year.months.map((m) => (
              <li>
                <a href={archiveMonthPath(m.year, m.month)}>{formatMonth(m.year, m.month, locale)}</a> <span class="count">({countLabel(t, m.count)})</span>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function TagIndex(props: { tags: TagCount[] }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("tagsTitle")}</h1>
      {props.tags.length === 0 ? (
        <p>{t("tagsEmpty")}</p>
      ) : (
        <ul class="tag-index">
          {props.tags.map((tag) => (
            <li>
              <a href={`/tags/${encodeURIComponent(tag.slug)}`} rel="tag">
                {tag.name}
              </a>{" "}
              <span class="count">({countLabel(t, tag.count)})</span>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
