// The first publish of an undated article: its date is now (to the minute, in
// SITE_TIMEZONE), written into its file before D1 is written, so the file in
// git and the article in D1 agree and the next publish sees no change.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { formatSiteDate } from "../../src/articles/site-dates";
import type { CliIo } from "../lib/terminal-io";
import { type ArticleSource, parseArticleFile, type SourceSettings } from "./front-matter";
import { listFirstPublishesWithoutDate, writeDateIntoFile } from "./publish-date";
import type { PublishPlan } from "./publish-plan";

/** Dates the plan's undated first publishes in their files; returns the plan with the re-read sources. */
export async function fillPublishDates(
  plan: PublishPlan,
  opts: { contentDir: string; settings: SourceSettings; now: number; displayPath: (file: string) => string },
  io: CliIo,
): Promise<PublishPlan> {
  const undated = listFirstPublishesWithoutDate(plan);
  if (undated.length === 0) return plan;
  const date = formatSiteDate(opts.now - (opts.now % 60_000), opts.settings.timeZone);
  const replaced = new Map<ArticleSource, ArticleSource>();
  for (const source of undated) {
    const file = path.join(opts.contentDir, source.path);
    const text = writeDateIntoFile(await readFile(file, "utf8"), date);
    const parsed = await parseArticleFile(source.path, text, opts.settings);
    if (!parsed.ok) throw new Error(`${opts.displayPath(source.path)}: could not write the date into it: ${parsed.errors[0]?.message}`);
    await writeFile(file, text);
    replaced.set(source, parsed.value);
    io.out(`Dated ${opts.displayPath(source.path)}: date: ${date} (its first publish; written into the file, commit it)`);
  }
  const swap = (s: ArticleSource) => replaced.get(s) ?? s;
  return { ...plan, added: plan.added.map(swap), changed: plan.changed.map((c) => ({ ...c, source: swap(c.source) })) };
}
