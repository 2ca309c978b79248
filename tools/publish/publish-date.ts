// Undated articles get their date at their first publish: `npm run
// new` leaves the date out, so an article that stays a draft for a week is
// published with the day it went out. The publisher writes the date back into
// the file, so git, not D1, keeps it. Pure: the CLI reads and writes the files.
import type { ArticleSource } from "./front-matter";
import type { PublishPlan } from "./publish-plan";

/** Articles (not pages) this plan publishes for the first time without a date in their file. */
export function listFirstPublishesWithoutDate(plan: PublishPlan): ArticleSource[] {
  const firstTime = [...plan.added, ...plan.changed.filter((c) => c.stored.publishedAt === null).map((c) => c.source)];
  return firstTime.filter((s) => s.fields.date === null && !s.fields.draft && !s.fields.page);
}

const FENCE = /^---[ \t]*$/;

/**
 * The file's text with `date: <date>` in its front matter: an empty `date:`
 * line is replaced, otherwise the line goes just before the closing fence.
 * Every other byte stays as it was, line endings included.
 */
export function writeDateIntoFile(text: string, date: string): string {
  return writeFrontMatterLine(text, "date", date);
}

/**
 * The file's text with `<key>: <value>` in its front matter (a value the
 * publisher made: a date, an id; never one that needs quoting). A line
 * `<key>:` without a value (YAML null) is replaced, otherwise the line goes
 * just before the closing fence. Every other byte stays as it was, line
 * endings and a byte order mark included.
 */
export function writeFrontMatterLine(text: string, key: string, value: string): string {
  const newline = text.includes("\r\n") ? "\r\n" : "\n";
  const lines = text.split(newline);
  const start = lines[0]?.replace(/^\uFEFF/, "") ?? "";
  const close = lines.findIndex((line, i) => i > 0 && FENCE.test(line));
  if (!FENCE.test(start) || close < 0) throw new Error(`no front matter to write the ${key} into`);
  const line = `${key}: ${value}`;
  const emptyLine = new RegExp(`^${key}:[ \\t]*(?:#.*)?$`);
  const empty = lines.findIndex((l, i) => i > 0 && i < close && emptyLine.test(l));
  if (empty >= 0) lines[empty] = line;
  else lines.splice(close, 0, line);
  return lines.join(newline);
}
