// `npm run import:wordpress`: plan the whole move, refuse on any problem,
// settle the sample content, apply the D1 migrations, ask before replacing
// a file the import did not write, then write, publish and apply. Files
// edited since an earlier import are kept (the import's record in the
// content folder says what it wrote).
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readStoredState } from "../lib/d1-state";
import { readLocalSecret } from "../lib/dev-vars";
import type { CliIo } from "../lib/terminal-io";
import { applyMigrations, type D1Target, isRecord, queryD1, readSourceSettings } from "../lib/wrangler";
import { planPublish, type StoredState } from "../publish/publish-plan";
import { applyImport } from "./import-apply";
import { IMPORT_USAGE, type ImportArgs, parseImportArgs } from "./import-args";
import { planImport } from "./import-plan";
import { formatImportPlan } from "./import-report";
import { removedSlugs } from "./import-samples";
import type { ImportPlan, SampleFile } from "./import-types";
import { WxrError } from "./wxr-types";

/** Runs the import with these arguments; resolves to the exit code. */
export async function runImportWordPress(argv: string[], io: CliIo): Promise<number> {
  const args = parseImportArgs(argv);
  if (typeof args === "string") {
    io.err(`${args}\n\n${IMPORT_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(IMPORT_USAGE);
    return 0;
  }
  const stagingDir = await mkdtemp(path.join(os.tmpdir(), "edge-blog-import-"));
  try {
    return await importExport(args, stagingDir, io);
  } catch (error) {
    const prefix = error instanceof WxrError ? `${args.exportFile}: ` : "";
    io.err(`${prefix}${error instanceof Error ? error.message : String(error)}\nNothing was written.`);
    return 1;
  } finally {
    await rm(stagingDir, { recursive: true, force: true });
  }
}

async function importExport(args: ImportArgs, stagingDir: string, io: CliIo): Promise<number> {
  const settings = await readSourceSettings(args.target.config);
  // IP_HASH_SALT as the Worker has it: from the environment, or for the local D1 from .dev.vars.
  const ipSalt = await readLocalSecret("IP_HASH_SALT", args.target);
  const importedComments = await readImportedComments(args.target);
  const plan = await planImport({
    exportFile: args.exportFile,
    contentDir: args.contentDir,
    uploadsDir: args.uploadsDir,
    pingbacks: args.pingbacks,
    settings,
    ipSalt,
    stagingDir,
    now: Date.now(),
    overwriteEdited: args.overwriteEdited,
    importedComments,
  });
  const displayPath = (file: string) => path.relative(process.cwd(), path.join(args.contentDir, ...file.split("/"))) || file;
  for (const line of formatImportPlan(plan, describeTarget(args.target), displayPath)) io.out(line);
  if (plan.errors.length > 0) return reportProblems(plan.errors, io);
  if (args.dryRun) {
    const removals = listRemovals(plan, args.samples === "remove");
    const problems = checkAgainstD1(plan, removals, await readStateBeforeMigrations(args.target, io));
    if (problems.length > 0) return reportProblems(problems, io);
    io.out("Dry run: nothing was written.");
    return 0;
  }
  const removals = listRemovals(plan, await chooseSampleRemoval(plan, args.samples, io));
  // A fresh clone's local D1 has no tables yet, a deployed one may lack the newest: the schema first, as npm start and npm run deploy do.
  io.out(`Applying the D1 migrations to the ${describeTarget(args.target)}…`);
  await applyMigrations(args.target);
  const problems = checkAgainstD1(plan, removals, await readStoredState(args.target));
  if (problems.length > 0) return reportProblems(problems, io);
  if (!(await confirmReplacements(plan, args.yes, io))) return 1;
  return applyImport(plan, { d1: args.target, contentDir: args.contentDir, removals, overwriteEdited: args.overwriteEdited }, io);
}

/** The comments earlier imports brought (true: D1 still has it); none when D1 has no such table yet. */
async function readImportedComments(target: D1Target): Promise<Map<string, boolean>> {
  const sql = "SELECT i.id, c.id IS NOT NULL AS present FROM imported_comments i LEFT JOIN comments c ON c.id = i.id;";
  const rows = await queryD1(target, sql).then(
    ([found = []]) => found,
    (error: unknown) => {
      if (/no such table/.test(error instanceof Error ? error.message : String(error))) return [];
      throw error;
    },
  );
  const known = new Map<string, boolean>();
  for (const row of rows) if (isRecord(row) && typeof row.id === "string") known.set(row.id, row.present === 1);
  return known;
}

function reportProblems(errors: string[], io: CliIo): number {
  for (const e of errors) io.err(e);
  io.err(`${errors.length} problem${errors.length === 1 ? "" : "s"} found; nothing was written.`);
  return 1;
}

/** What D1 holds, for a dry run, which applies no migrations: a database without the blog's tables holds nothing yet. */
async function readStateBeforeMigrations(target: D1Target, io: CliIo): Promise<StoredState> {
  try {
    return await readStoredState(target);
  } catch (error) {
    if (!/no such table/.test(error instanceof Error ? error.message : String(error))) throw error;
    io.out(`The ${describeTarget(target)} has no tables yet: the import applies the D1 migrations before it writes.`);
    return { articles: [], aliases: [] };
  }
}

/** What publish would refuse because of what D1 already holds (a slug that is an alias there, …). */
function checkAgainstD1(plan: ImportPlan, removals: SampleFile[], state: StoredState): string[] {
  const leaving = new Set(removals.map((s) => s.path));
  const sources = plan.sources.filter((s) => !leaving.has(s.path));
  const planned = planPublish(sources, state, { prune: false, remove: removedSlugs(removals) });
  return planned.ok ? [] : planned.errors.map((e) => `${e.path}:${e.line}: ${e.message}`);
}

/** The sample files the import removes: the placeholders that give way always, the sample articles when asked to. */
function listRemovals(plan: ImportPlan, removeSamples: boolean): SampleFile[] {
  return [...plan.samples.givingWay.map((g) => g.sample), ...(removeSamples ? plan.samples.removable : [])];
}

/** Whether to remove the sample articles: the flag, else the answer on a terminal, else keep them and say how. */
async function chooseSampleRemoval(plan: ImportPlan, choice: ImportArgs["samples"], io: CliIo): Promise<boolean> {
  const count = plan.samples.removable.filter((s) => s.kind === "article").length;
  if (count === 0 || choice === "keep") return false;
  if (choice === "remove") return true;
  const what = `the ${count} sample article${count === 1 ? "" : "s"} the blog ships with (listed above)`;
  const answer = await io.confirm(`Remove ${what}?`);
  if (answer === null) io.out(`Keeping ${what}; to remove them, run the import again with --remove-samples.`);
  return answer === true;
}

async function confirmReplacements(plan: ImportPlan, yes: boolean, io: CliIo): Promise<boolean> {
  const count = plan.files.filter((f) => f.status === "replace").length;
  if (count === 0 || yes) return true;
  const what = `${count} existing file${count === 1 ? "" : "s"} in the content folder`;
  const answer = await io.confirm(`Replace ${what} (listed as "replace" above)?`);
  if (answer === null) io.err(`Not replacing ${what} without confirmation, and there is no terminal to ask: run again with --yes. Nothing was written.`);
  else if (!answer) io.err("Nothing was written.");
  return answer === true;
}

function describeTarget(target: D1Target): string {
  if (target.remote) return "remote D1 database";
  return `local D1 database${target.persistTo ? ` in ${target.persistTo}` : ""}`;
}
