// Every published file carries a stable id in its front matter (`id:`),
// written by its first publish, as its date is: the publisher finds the
// article again by it when the file was renamed, moved and given a new slug
// at once, which its path and slug alone cannot tell from a deletion and a new
// article. A file found by path or slug gets the id its article already has.
import { randomBytes } from "node:crypto";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { CliIo } from "../lib/terminal-io";
import { type ArticleSource, parseArticleFile, type SourceSettings } from "./front-matter";
import { writeFrontMatterLine } from "./publish-date";
import type { PublishPlan } from "./publish-plan";

/** Crockford's base32, as ULIDs use it: no I, L, O or U. */
const BASE32 = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/** A new id, ULID-like: 10 characters of the time (ms), then 16 random ones, sortable by creation. */
export function newSourceId(now: number = Date.now()): string {
  let time = "";
  let rest = Math.max(0, Math.trunc(now));
  for (let i = 0; i < 10; i++) {
    time = (BASE32[rest % 32] ?? "0") + time;
    rest = Math.floor(rest / 32);
  }
  const random = [...randomBytes(16)].map((b) => BASE32[b % 32]).join("");
  const id = time + random;
  // YAML would read an id of digits (and one E) as a number: such a rare one is drawn again.
  return /[A-DF-Z]/.test(id) ? id : newSourceId(now);
}

/** The files this plan writes that have no id yet, each with the id to write: its stored article's, or a new one. */
export function listSourcesWithoutId(plan: PublishPlan, now: number): { source: ArticleSource; id: string }[] {
  const stored = new Map(plan.changed.map((c) => [c.source, c.stored.sourceId ?? null]));
  return [...plan.added, ...plan.changed.map((c) => c.source)]
    .filter((source) => source.fields.id === null)
    .map((source) => ({ source, id: stored.get(source) ?? newSourceId(now) }));
}

/** Writes the ids into the files that have none; returns the plan with the re-read sources. */
export async function fillSourceIds(
  plan: PublishPlan,
  opts: { contentDir: string; settings: SourceSettings; now: number; displayPath: (file: string) => string },
  io: CliIo,
): Promise<PublishPlan> {
  const missing = listSourcesWithoutId(plan, opts.now);
  if (missing.length === 0) return plan;
  const replaced = new Map<ArticleSource, ArticleSource>();
  for (const { source, id } of missing) {
    const file = path.join(opts.contentDir, source.path);
    const text = writeFrontMatterLine(await readFile(file, "utf8"), "id", id);
    const parsed = await parseArticleFile(source.path, text, opts.settings);
    if (!parsed.ok) throw new Error(`${opts.displayPath(source.path)}: could not write the id into it: ${parsed.errors[0]?.message}`);
    await writeFile(file, text);
    replaced.set(source, parsed.value);
  }
  const count = missing.length;
  io.out(
    `Wrote an id into ${count === 1 ? opts.displayPath(missing[0]?.source.path ?? "") : `${count} files`} (id: …, so renames keep the article; commit it).`,
  );
  const swap = (s: ArticleSource) => replaced.get(s) ?? s;
  return { ...plan, added: plan.added.map(swap), changed: plan.changed.map((c) => ({ ...c, source: swap(c.source) })) };
}
