// Applying a checked import plan: the Markdown files and media into the
// content folder, then `npm run publish`'s own command, then the comments and
// redirects in one `wrangler d1 execute --file` (one transaction).
import { copyFile, mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { type D1Target, executeD1File } from "../lib/wrangler";
import { type CliIo, runPublish } from "../publish/publish-command";
import type { ImportPlan } from "./import-types";
import { copyUpload } from "./media";

export interface ApplyTarget {
  d1: D1Target;
  contentDir: string;
}

/** Writes, publishes and applies; resolves to the exit code. */
export async function applyImport(plan: ImportPlan, target: ApplyTarget, io: CliIo): Promise<number> {
  const written = await writeFiles(plan, target.contentDir);
  const copied = await copyMedia(plan, target.contentDir, io);
  io.out(`Wrote ${written} Markdown files and copied ${copied} media files into ${target.contentDir}.`);
  const code = await runPublish([...publishTargetArgs(target.d1), "--content", target.contentDir], io);
  if (code !== 0) {
    io.err("Publishing failed; the files are written. Fix the problem and run the import again (it is safe).");
    return code;
  }
  const sql = await stat(plan.sqlFile).catch(() => null);
  if (!sql || sql.size === 0) return 0;
  io.out(`Applying comments and redirects in one transaction (${Math.ceil(sql.size / 1024)} KiB of SQL)...`);
  const statements = await executeD1File(target.d1, plan.sqlFile);
  io.out(`Applied: ${statements} statements (comments already there are left as they are).`);
  return 0;
}

function publishTargetArgs(d1: D1Target): string[] {
  return [d1.remote ? "--remote" : "--local", ...(d1.persistTo ? ["--persist-to", d1.persistTo] : []), ...(d1.config ? ["--config", d1.config] : [])];
}

async function writeFiles(plan: ImportPlan, contentDir: string): Promise<number> {
  let written = 0;
  for (const file of plan.files) {
    if (file.status === "unchanged") continue;
    const target = path.join(contentDir, ...file.path.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(plan.stagedFiles, ...file.path.split("/")), target);
    written++;
  }
  return written;
}

async function copyMedia(plan: ImportPlan, contentDir: string, io: CliIo): Promise<number> {
  let copied = 0;
  for (const copy of plan.media.copies) {
    const target = path.join(contentDir, "media", ...copy.relative.split("/"));
    await mkdir(path.dirname(target), { recursive: true });
    try {
      if (await copyUpload(copy.source, target)) copied++;
    } catch (error) {
      // The uploads folder changed after the plan: this file stays behind, the rest goes on.
      io.err(`${copy.source}: not copied: ${error instanceof Error ? error.message : String(error)}; its links point to /media/ all the same.`);
    }
  }
  return copied;
}
