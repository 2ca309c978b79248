// The sample content the blog ships with, as the import sees it. A sample is
// a file listed in content/.sample-content.json whose content is still the
// hash listed there; a sample someone edited is their work and is never
// removed. Removing the samples takes the unchanged sample articles (and the
// sample media that only they link) out of the content folder and, through
// the publish that the import runs, out of D1.

import { type FileHashes, hashContentFile, readFileRecord, writeFileRecord } from "../lib/file-record";
import type { ArticleSource } from "../publish/front-matter";
import type { SampleFile } from "./import-types";

/** The record of the sample content, in the content folder. */
const SAMPLE_RECORD = ".sample-content.json";

const SAMPLE_ABOUT =
  "The sample content the blog ships with, by SHA-256. npm run import:wordpress -- --remove-samples removes the files listed here that are unchanged; an edited one is kept.";

export interface SampleScan {
  /** Unchanged samples, by path. */
  unchanged: Map<string, SampleFile>;
  /** Samples edited since they shipped. */
  edited: string[];
}

/** The samples still in the content folder, unchanged or edited; `sources` are its parsed Markdown files. */
export async function scanSamples(contentDir: string, sources: ArticleSource[]): Promise<SampleScan> {
  const record = await readFileRecord(contentDir, SAMPLE_RECORD);
  const byPath = new Map(sources.map((s) => [s.path, s]));
  const scan: SampleScan = { unchanged: new Map(), edited: [] };
  for (const [file, hash] of record) {
    const now = await hashContentFile(contentDir, file);
    if (now === null) continue;
    if (now !== hash) {
      scan.edited.push(file);
      continue;
    }
    const source = byPath.get(file);
    if (file.endsWith(".md") && !source) continue;
    const kind = !source ? "media" : source.fields.page ? "page" : "article";
    scan.unchanged.set(file, { path: file, slug: source?.fields.slug ?? null, kind });
  }
  return scan;
}

/**
 * What removing the samples removes: the unchanged sample articles, and the
 * unchanged sample media that no Markdown file staying behind links.
 */
export function listRemovableSamples(scan: SampleScan, sources: ArticleSource[]): SampleFile[] {
  const articles = [...scan.unchanged.values()].filter((s) => s.kind === "article");
  const leaving = new Set(articles.map((a) => a.path));
  const staying = sources.filter((s) => !leaving.has(s.path));
  const media = [...scan.unchanged.values()].filter((s) => s.kind === "media" && !staying.some((source) => source.bodyMd.includes(s.path)));
  return [...articles, ...media];
}

/** Takes the removed samples off the record (removes it when none is left). */
export async function forgetSamples(contentDir: string, removed: string[]): Promise<void> {
  if (removed.length === 0) return;
  const record: FileHashes = await readFileRecord(contentDir, SAMPLE_RECORD);
  for (const file of removed) record.delete(file);
  await writeFileRecord(contentDir, SAMPLE_RECORD, SAMPLE_ABOUT, record);
}

/** The slugs under which D1 holds the removed samples. */
export function removedSlugs(removals: SampleFile[]): Set<string> {
  return new Set(removals.flatMap((s) => (s.slug === null ? [] : [s.slug])));
}
