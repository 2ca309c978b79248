// `npm run import:wordpress`: plan the whole move, refuse on any problem,
// ask before replacing an editor's file, then write, publish and apply.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { readStoredState } from "../lib/d1-state";
import { readLocalSecret } from "../lib/dev-vars";
import type { CliIo } from "../lib/terminal-io";
import { type D1Target, readSourceSettings } from "../lib/wrangler";
import { planPublish } from "../publish/publish-plan";
import { applyImport } from "./import-apply";
import { IMPORT_USAGE, type ImportArgs, parseImportArgs } from "./import-args";
import { planImport } from "./import-plan";
import { formatImportPlan } from "./import-report";
import type { ImportPlan } from "./import-types";
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
  const plan = await planImport({
    exportFile: args.exportFile,
    contentDir: args.contentDir,
    uploadsDir: args.uploadsDir,
    pingbacks: args.pingbacks,
    settings,
    ipSalt,
    stagingDir,
    now: Date.now(),
  });
  for (const line of formatImportPlan(plan, describeTarget(args.target))) io.out(line);
  const errors = [...plan.errors, ...(plan.errors.length === 0 ? await checkAgainstD1(plan, args.target) : [])];
  if (errors.length > 0) {
    for (const e of errors) io.err(e);
    io.err(`${errors.length} problem${errors.length === 1 ? "" : "s"} found; nothing was written.`);
    return 1;
  }
  if (args.dryRun) {
    io.out("Dry run: nothing was written.");
    return 0;
  }
  if (!(await confirmReplacements(plan, args.yes, io))) return 1;
  return applyImport(plan, { d1: args.target, contentDir: args.contentDir }, io);
}

/** What publish would refuse because of what D1 already holds (a slug that is an alias there, …). */
async function checkAgainstD1(plan: ImportPlan, target: D1Target): Promise<string[]> {
  const planned = planPublish(plan.sources, await readStoredState(target), { prune: false });
  return planned.ok ? [] : planned.errors.map((e) => `${e.path}:${e.line}: ${e.message}`);
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
