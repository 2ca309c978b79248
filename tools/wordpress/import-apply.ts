// Applying a checked import plan: the Markdown files and media into the
// content folder, then publish's own command with the comments and redirects
// in the same transaction. The import lands whole or not at all: when D1
// refuses, the content folder is put back as it was, so no later publish
// brings in posts without their comments and redirects.
import { copyFile, mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { cacheTags } from "../../src/cache/tags";
import type { CliIo } from "../lib/terminal-io";
import { type D1Target, wranglerRunner } from "../lib/wrangler";
import { publishContent } from "../publish/publish-command";
import type { ImportPlan } from "./import-types";
import { copyUpload } from "./media";

export interface ApplyTarget {
  d1: D1Target;
  contentDir: string;
}

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
  let code: number;
  try {
    const written = await writeFiles(plan, target.contentDir, journal);
    const copied = await copyMedia(plan, target.contentDir, journal, io);
    io.out(`Wrote ${written} Markdown files and copied ${copied} media files into ${target.contentDir}.`);
    const args = { target: target.d1, contentDir: target.contentDir, dryRun: false, prune: false, yes: false, help: false, paths: [] };
    const joint = { file: plan.sqlFile, what: "comments and redirects", tags: commentTags(plan) };
    code = await publishContent(args, io, wranglerRunner(target.d1), joint);
  } catch (error) {
    await undo(journal);
    throw error;
  }
  if (code !== 0) {
    await undo(journal);
    io.err("Publishing failed; nothing was written, the content folder is as it was. Fix the problem and run the import again.");
  }
  return code;
}

/** The pages that show the imported comments: each post's own, and the comment feed. */
function commentTags(plan: ImportPlan): string[] {
  return plan.commentedSlugs.length === 0 ? [] : [...plan.commentedSlugs.map(cacheTags.article), cacheTags.comments];
}

async function writeFiles(plan: ImportPlan, contentDir: string, journal: Journal): Promise<number> {
  let written = 0;
  for (const file of plan.files) {
    if (file.status === "unchanged") continue;
    await place(path.join(plan.stagedFiles, ...file.path.split("/")), path.join(contentDir, ...file.path.split("/")), journal);
    written++;
  }
  return written;
}

async function copyMedia(plan: ImportPlan, contentDir: string, journal: Journal, io: CliIo): Promise<number> {
  let copied = 0;
  for (const copy of plan.media.copies) {
    const target = path.join(contentDir, "media", ...copy.relative.split("/"));
    await note(target, journal);
    try {
      if (await copyUpload(copy.source, target)) copied++;
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
