// Applying a checked import plan: the Markdown files and media into the
// content folder, then publish's own command with the comments and redirects
// in the same transaction. The import lands whole or not at all: when D1
// refuses, the content folder is put back as it was (removed samples too), so
// no later publish brings in posts without their comments and redirects.
// Once D1 has it all, the record of what the import wrote is brought up to
// date, which tells the next import which files someone edited since.
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { cacheTags } from "../../src/cache/tags";
import { type FileHashes, hashContentFile, writeFileRecord } from "../lib/file-record";
import type { CliIo } from "../lib/terminal-io";
import { type D1Target, wranglerRunner } from "../lib/wrangler";
import { publishContent } from "../publish/publish-command";
import { forgetSamples, removedSlugs } from "./import-samples";
import { IMPORT_RECORD, type ImportPlan, type SampleFile, WRITTEN_STATUSES } from "./import-types";
import { copyUpload } from "./media";

export interface ApplyTarget {
  d1: D1Target;
  contentDir: string;
  /** Sample files to remove (from the folder, and from D1 by the publish). */
  removals: SampleFile[];
  /** Copy over media files edited or deleted since the last import too. */
  overwriteEdited: boolean;
}

const RECORD_ABOUT =
  "What npm run import:wordpress wrote, by SHA-256: a file whose content is no longer the one recorded was edited since, and the next import keeps it.";

/** What writing into the content folder changed, to put it back. */
interface Journal {
  /** Folders that did not exist (removed with what is in them). */
  createdDirs: string[];
  createdFiles: string[];
  /** Files that were replaced, and where their old content waits. */
  replaced: { file: string; backup: string }[];
  backupDir: string;
}

/** Writes, publishes and applies; resolves to the exit code, or throws with the content folder as it was. */
export async function applyImport(plan: ImportPlan, target: ApplyTarget, io: CliIo): Promise<number> {
  const journal: Journal = { createdDirs: [], createdFiles: [], replaced: [], backupDir: path.join(path.dirname(plan.stagedFiles), "replaced") };
  const record: FileHashes = new Map(plan.record);
  let code: number;
  try {
    const removed = await removeSamples(target, journal, io);
    const written = await writeFiles(plan, target.contentDir, journal, record);
    const copied = await copyMedia(plan, target, journal, record, io);
    io.out(`Wrote ${written} Markdown files and copied ${copied} media files into ${target.contentDir}.`);
    // The person chose the removals (or the plan listed the placeholders giving way): publish asks nothing more.
    const args = { target: target.d1, contentDir: target.contentDir, dryRun: false, prune: false, yes: removed > 0, help: false, paths: [] };
    const joint = { file: plan.sqlFile, what: "comments and redirects", tags: commentTags(plan), remove: removedSlugs(target.removals) };
    code = await publishContent(args, io, wranglerRunner(target.d1), joint);
  } catch (error) {
    await undo(journal);
    throw error;
  }
  if (code !== 0) {
    await undo(journal);
    io.err("Publishing failed; nothing was written, the content folder is as it was. Fix the problem and run the import again.");
    return code;
  }
  await writeFileRecord(target.contentDir, IMPORT_RECORD, RECORD_ABOUT, record);
  await forgetSamples(
    target.contentDir,
    target.removals.map((s) => s.path),
  );
  return code;
}

/** Takes the chosen sample files out of the content folder, keeping each in the journal. */
async function removeSamples(target: ApplyTarget, journal: Journal, io: CliIo): Promise<number> {
  for (const sample of target.removals) {
    const file = path.join(target.contentDir, ...sample.path.split("/"));
    await note(file, journal);
    await rm(file);
  }
  if (target.removals.length > 0)
    io.out(`Removed ${target.removals.length} sample file${target.removals.length === 1 ? "" : "s"}: ${target.removals.map((s) => s.path).join(", ")}.`);
  return target.removals.length;
}

/** The pages that show the imported comments: each post's own, and the comment feed. */
function commentTags(plan: ImportPlan): string[] {
  return plan.commentedSlugs.length === 0 ? [] : [...plan.commentedSlugs.map(cacheTags.article), cacheTags.comments];
}

async function writeFiles(plan: ImportPlan, contentDir: string, journal: Journal, record: FileHashes): Promise<number> {
  let written = 0;
  for (const file of plan.files) {
    if (file.status === "unchanged") record.set(file.path, file.hash);
    if (!WRITTEN_STATUSES.has(file.status)) continue;
    await place(path.join(plan.stagedFiles, ...file.path.split("/")), path.join(contentDir, ...file.path.split("/")), journal);
    record.set(file.path, file.hash);
    written++;
  }
  return written;
}

/** Copies the uploads; one the import copied before and someone changed or deleted since stays as it is. */
async function copyMedia(plan: ImportPlan, target: ApplyTarget, journal: Journal, record: FileHashes, io: CliIo): Promise<number> {
  let copied = 0;
  for (const copy of plan.media.copies) {
    const relative = `media/${copy.relative}`;
    const file = path.join(target.contentDir, ...relative.split("/"));
    const recorded = record.get(relative);
    const now = recorded === undefined ? null : await hashContentFile(target.contentDir, relative);
    if (recorded !== undefined && now !== recorded && !target.overwriteEdited) {
      io.out(`${now === null ? "not restored, deleted" : "kept, edited"} since import: ${path.relative(process.cwd(), file) || file}`);
      continue;
    }
    await note(file, journal);
    try {
      if (await copyUpload(copy.source, file)) copied++;
      const hash = await hashContentFile(target.contentDir, relative);
      if (hash !== null) record.set(relative, hash);
    } catch (error) {
      // The uploads folder changed after the plan: this file stays behind, the rest goes on.
      io.err(`${copy.source}: not copied: ${error instanceof Error ? error.message : String(error)}; its links point to /media/ all the same.`);
    }
  }
  return copied;
}

/** Copies source to target, noting in the journal how to take it back. */
async function place(source: string, target: string, journal: Journal): Promise<void> {
  await note(target, journal);
  await copyFile(source, target);
}

/** Makes the target's folder and notes how to take back what is written there: a new file goes, an old one gets its text again. */
async function note(target: string, journal: Journal): Promise<void> {
  const createdDir = await mkdir(path.dirname(target), { recursive: true });
  if (createdDir) journal.createdDirs.push(createdDir);
  if (await stat(target).catch(() => null)) {
    const backup = path.join(journal.backupDir, String(journal.replaced.length));
    await mkdir(journal.backupDir, { recursive: true });
    await copyFile(target, backup);
    journal.replaced.push({ file: target, backup });
  } else journal.createdFiles.push(target);
}

/** Puts the content folder back as it was before the import wrote into it. */
async function undo(journal: Journal): Promise<void> {
  for (const { file, backup } of journal.replaced.reverse()) await rename(backup, file).catch(() => copyFile(backup, file));
  for (const file of journal.createdFiles) await rm(file, { force: true });
  for (const dir of journal.createdDirs.reverse()) await rm(dir, { recursive: true, force: true });
}
