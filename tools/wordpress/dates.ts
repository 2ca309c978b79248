// WordPress dates ("2013-01-11 20:22:19"): the GMT fields are UTC; drafts
// carry "0000-00-00 00:00:00" there and only the site's local post_date.
import { timeZoneOffsetMinutes } from "../../src/articles/site-dates";

const WP_DATE = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function parseWall(text: string): number | null {
  const m = WP_DATE.exec(text.trim());
  if (!m || m[1] === "0000") return null;
  const time = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
  return Number.isNaN(time) ? null : time;
}

/** Epoch ms of a post: post_date_gmt, else post_date read in `timeZone`, else null. */
export function parsePostTime(gmt: string, local: string, timeZone: string): number | null {
  const utc = parseWall(gmt);
  if (utc !== null) return utc;
  const wall = parseWall(local);
  if (wall === null) return null;
  // Twice: the offset at the guessed instant can differ across a DST switch.
  const guess = wall - timeZoneOffsetMinutes(wall, timeZone) * 60_000;
  return wall - timeZoneOffsetMinutes(guess, timeZone) * 60_000;
}

/** Epoch ms of a GMT field, or null for an empty or zero date. */
export function parseGmtTime(gmt: string): number | null {
  return parseWall(gmt);
}

/** A front matter date: UTC instants as …Z, to the second. */
export function formatFrontMatterDate(time: number): string {
  return new Date(time).toISOString().replace(/\.\d{3}Z$/, "Z");
}
