// Dates in front matter. A date with a time must carry its zone (Z or
// +01:00), so it means the same instant everywhere. A date without a time
// (YYYY-MM-DD) means midnight at the start of that day in the site's time zone
// (wrangler var SITE_TIMEZONE, Europe/Berlin here): the day editors and
// readers see, whatever the machine that publishes it is set to.

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|z|[+-]\d{2}:\d{2})$/;

/** Epoch ms of a front matter date, or null when the text is not a valid date. */
export function parseSiteDate(text: string, timeZone: string): number | null {
  const day = DATE_ONLY.exec(text);
  if (day) {
    const [y, mo, d] = day.slice(1, 4).map(Number) as [number, number, number];
    return isCalendarDate(y, mo, d) ? zonedMidnight(y, mo, d, timeZone) : null;
  }
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [y, mo, d, h, mi] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const s = Number(m[6] ?? 0);
  const ms = Number((m[7] ?? "").padEnd(3, "0"));
  const offset = parseOffsetMinutes(m[8] ?? "");
  if (!isCalendarDate(y, mo, d) || h > 23 || mi > 59 || s > 59 || offset === null) return null;
  return Date.UTC(y, mo - 1, d, h, mi, s, ms) - offset * 60_000;
}

/** An instant as ISO 8601 in the given zone with its offset, to the minute: 2026-03-01T09:30:00+01:00. */
export function formatSiteDate(time: number, timeZone: string): string {
  const offset = timeZoneOffsetMinutes(time, timeZone);
  const local = new Date(time + offset * 60_000).toISOString().slice(0, 16);
  const sign = offset < 0 ? "-" : "+";
  const abs = Math.abs(offset);
  return `${local}:00${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

// One formatter per zone for the isolate's life: making one costs far more than
// using it, and the archive asks for the offset of every month since 1970. It
// formats the offset alone ("GMT+01:00"): a string to read is about five times
// cheaper than formatToParts' list of parts.
const offsetFormats = new Map<string, Intl.DateTimeFormat>();
const OFFSET = /GMT([+-])(\d{1,2})(?::(\d{2}))?(?::(\d{2}))?/;

/** Minutes the zone's wall clock is ahead of UTC at that instant (Berlin: 60 or 120). */
export function timeZoneOffsetMinutes(time: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" });
    offsetFormats.set(timeZone, format);
  }
  // "GMT" alone is UTC; an old local mean time has seconds ("GMT+00:53:28"), rounded to the minute.
  const m = OFFSET.exec(format.format(time));
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0) + Number(m[4] ?? 0) / 60;
  return (m[1] === "-" ? -1 : 1) * Math.round(minutes);
}

/** The instant a calendar month begins in the zone (month 13 is January of the next year). */
export function getMonthStart(year: number, month: number, timeZone: string): number {
  return month > 12 ? zonedMidnight(year + 1, month - 12, 1, timeZone) : zonedMidnight(year, month, 1, timeZone);
}

/** The year and month (1–12) of an instant on the zone's calendar. */
export function getZonedMonth(time: number, timeZone: string): { year: number; month: number } {
  const local = new Date(time + timeZoneOffsetMinutes(time, timeZone) * 60_000);
  return { year: local.getUTCFullYear(), month: local.getUTCMonth() + 1 };
}

function zonedMidnight(y: number, mo: number, d: number, timeZone: string): number {
  const wall = Date.UTC(y, mo - 1, d);
  // Twice: the offset at the guessed instant can differ across a DST switch.
  const guess = wall - timeZoneOffsetMinutes(wall, timeZone) * 60_000;
  return wall - timeZoneOffsetMinutes(guess, timeZone) * 60_000;
}

function isCalendarDate(y: number, mo: number, d: number): boolean {
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1000 && mo >= 1 && mo <= 12 && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function parseOffsetMinutes(zone: string): number | null {
  if (zone === "Z" || zone === "z") return 0;
  const [h, m] = zone.slice(1).split(":").map(Number) as [number, number];
  if (h > 14 || m > 59) return null;
  return (zone.startsWith("-") ? -1 : 1) * (h * 60 + m);
}

function pad(n: number): string {
  return String(n).padStart(2, "0");
}
