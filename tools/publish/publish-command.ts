// `npm run publish`: validate every article file, compare with D1, print the
// plan, then apply it with one `wrangler d1 execute --file` per SQL file
// (normally one). Returns the exit code; nothing is written unless every file
// is valid and the plan is confirmed. The WordPress import publishes through
// publishContent, with its comments and redirects in the same transaction.
import { createReadStream, createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { readContentFiles, selectContentFiles } from "../lib/content-files";
import { readStoredState } from "../lib/d1-state";
import { purgeEdgeAfterPublish } from "../lib/purge-edge";
import { checkRemoteSiteUrl } from "../lib/remote-site";
import { withTempDir, writeSqlFile } from "../lib/sql-file";
import type { CliIo } from "../lib/terminal-io";
import { type D1Runner, type D1Target, readSourceSettings, wranglerRunner } from "../lib/wrangler";
import { findPlaceholders, formatPlaceholderRefusal } from "./placeholders";
import { formatCounts, formatPlan } from "./plan-report";
import { PUBLISH_USAGE, type PublishArgs, parsePublishArgs } from "./publish-args";
import { listFirstPublishesWithoutDate } from "./publish-date";
import { fillPublishDates } from "./publish-dates";
import { hasWrites, type PlanError, type PublishPlan, planPublish } from "./publish-plan";
import { listPurgeTags } from "./publish-purge";
import { buildPublishStatements } from "./publish-sql";

export type { CliIo } from "../lib/terminal-io";

/** SQL that must land in the same transaction as the articles (the import's comments and redirects). */
export interface JointSql {
  /** A file of checked statements (tools/lib/sql-file.ts), applied after the articles' own. */
  file: string;
  /** What the file holds, for the messages: "comments and redirects". */
  what: string;
  /** The cache tags of the pages its rows change. */
  tags: string[];
  /** Stored articles whose files the caller removed, by slug: removed in the same transaction. */
  remove?: ReadonlySet<string>;
}

/**
 * Runs the publish command with these arguments; resolves to the exit code.
 * `runner` replaces wrangler for reading and writing D1 (`npm run dev` keeps one open).
 */
export async function runPublish(argv: string[], io: CliIo, runner?: D1Runner): Promise<number> {
  const args = parsePublishArgs(argv);
  if (typeof args === "string") {
    io.err(`${args}\n\n${PUBLISH_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(PUBLISH_USAGE);
    return 0;
  }
  try {
    return await publishContent(args, io, runner ?? wranglerRunner(args.target));
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

/**
 * Publishes with checked arguments; resolves to the exit code, throws when
 * D1 could not be written. `joint` is applied in the same transaction as the
 * articles, also when no article changed.
 */
export async function publishContent(args: PublishArgs, io: CliIo, runner: D1Runner, joint?: JointSql): Promise<number> {
  const settings = await readSourceSettings(args.target.config);
  const refused = args.target.remote ? checkRemoteSiteUrl(settings.siteUrl, args.target.config ?? "wrangler.toml") : null;
  if (refused) {
    io.err(refused);
    return 2;
  }
  const displayPath = (file: string) => path.relative(process.cwd(), path.join(args.contentDir, file)) || file;
  const content = await readContentFiles(args.contentDir, settings);
  if (content.errors.length > 0) return reportErrors(content.errors, displayPath, io);
  if (args.target.remote) {
    const placeholders = await findPlaceholders(args.contentDir, content.sources);
    if (placeholders.length > 0) {
      io.err(formatPlaceholderRefusal(placeholders, displayPath));
      return 2;
    }
  }
  const selected =
    args.paths.length > 0
      ? await selectContentFiles(
          args.contentDir,
          args.paths,
          content.sources.map((s) => s.path),
        )
      : null;
  if (typeof selected === "string") {
    io.err(selected);
    return 2;
  }
  const state = await readStoredState(args.target, runner);
  const planned = planPublish(content.sources, state, {
    prune: args.prune,
    remove: joint?.remove,
    displayPath,
    isSelected: selected ? (p) => selected.has(p) : undefined,
  });
  if (!planned.ok) return reportErrors(planned.errors, displayPath, io);
  const now = Date.now();
  let { plan } = planned;
  for (const line of formatPlan(plan, { target: describeTarget(args.target), displayPath, timeZone: settings.timeZone, now })) io.out(line);
  if (args.dryRun) {
    for (const source of listFirstPublishesWithoutDate(plan)) io.out(`${displayPath(source.path)} has no date: publishing fills in the time of publishing.`);
    io.out("Dry run: nothing was written.");
    return 0;
  }
  if (!hasWrites(plan)) {
    io.out(plan.skipped.length > 0 ? "Nothing to publish among the given paths." : "Nothing to publish: D1 already holds every article as it is.");
    if (!joint) return 0;
  }
  if (!(await confirmRemovals(plan, args.yes, io))) return 1;
  plan = await fillPublishDates(plan, { contentDir: args.contentDir, settings, now, displayPath }, io);
  if (joint) await applyWithJoint(plan, joint, runner, now, io);
  else await applyPlan(plan, runner, now, io);
  if (hasWrites(plan)) io.out(`Published: ${formatCounts(plan).replace("to remove", "removed")}`);
  // Only the deployed site has an edge cache; the local one (wrangler dev) has none.
  const tags = [...new Set([...listPurgeTags(plan), ...(joint?.tags ?? [])])];
  if (args.target.remote) await purgeEdgeAfterPublish(tags, { siteUrl: settings.siteUrl, token: process.env.ADMIN_TOKEN }, io);
  return 0;
}

async function confirmRemovals(plan: PublishPlan, yes: boolean, io: CliIo): Promise<boolean> {
  const count = plan.removed.length;
  if (count === 0 || yes) return true;
  const comments = plan.removed.reduce((sum, a) => sum + a.commentCount, 0);
  const what = `${count} article${count === 1 ? "" : "s"}${comments > 0 ? ` and ${comments} comment${comments === 1 ? "" : "s"}` : ""}`;
  const answer = await io.confirm(`Remove ${what} from D1?`);
  if (answer === null) io.err(`Not removing ${what} without confirmation, and there is no terminal to ask: run again with --yes. Nothing was written.`);
  else if (!answer) io.err("Nothing was written.");
  return answer === true;
}

async function applyPlan(plan: PublishPlan, runner: D1Runner, now: number, io: CliIo): Promise<void> {
  const files = buildPublishStatements(plan, { now });
  for (const [i, statements] of files.entries()) {
    const part = files.length > 1 ? ` part ${i + 1} of ${files.length}` : "";
    const bytes = statements.reduce((sum, sql) => sum + Buffer.byteLength(sql) + 1, 0);
    io.out(`Applying${part} in one transaction (${Math.ceil(bytes / 1024)} KiB of SQL)...`);
    const count = await runner.apply(statements).catch((error: unknown) => {
      const applied = i > 0 ? ` Parts 1 to ${i} were applied; run the same command again to finish (it is safe).` : " Nothing was written.";
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${applied.trim()}`);
    });
    io.out(`Applied${part}: ${count} statements.`);
  }
}

/** The articles and the joint SQL as one file: one transaction, whatever its size (D1 imports files of up to 5 GB). */
async function applyWithJoint(plan: PublishPlan, joint: JointSql, runner: D1Runner, now: number, io: CliIo): Promise<void> {
  const statements = buildPublishStatements(plan, { now, maxFileBytes: Number.POSITIVE_INFINITY }).flat();
  if (statements.length === 0 && (await stat(joint.file)).size === 0) return;
  await withTempDir("edge-blog-publish-", async (dir) => {
    const file = path.join(dir, "publish.sql");
    await writeSqlFile(file, statements);
    await pipeline(createReadStream(joint.file), createWriteStream(file, { flags: "a" }));
    const { size } = await stat(file);
    const what = statements.length > 0 ? `the articles, ${joint.what}` : joint.what;
    io.out(`Applying ${what} in one transaction (${Math.ceil(size / 1024)} KiB of SQL)...`);
    const count = await runner.applyFile(file).catch((error: unknown) => {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\nNothing was written to D1.`);
    });
    io.out(`Applied: ${count} statements.`);
  });
}

function reportErrors(errors: PlanError[], displayPath: (file: string) => string, io: CliIo): number {
  for (const e of errors) io.err(`${displayPath(e.path)}:${e.line}: ${e.message}`);
  io.err(`${errors.length} problem${errors.length === 1 ? "" : "s"} found; nothing was published.`);
  return 1;
}

function describeTarget(target: D1Target): string {
  if (target.remote) return "remote D1 database";
  return `local D1 database${target.persistTo ? ` in ${target.persistTo}` : ""}`;
}
