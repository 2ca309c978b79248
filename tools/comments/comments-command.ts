// `npm run comments -- <command>`: moderation from the terminal, through the
// Worker's own service functions (src/comments/service.ts). Locally they run
// here, on the local D1 that wrangler's platform proxy opens (no edge cache to
// purge; the mail an approval made due goes out with the Worker's cron); with
// --remote the deployed Worker runs them through its API (ADMIN_TOKEN), and
// purges and mails as the web admin does.
import { parseArgs } from "node:util";
import { parseCommenterEmail } from "../../src/comments/message";
import { MODERATION_MAX_IDS, parseModerationAction } from "../../src/comments/moderation";
import type { ModerationOutcome } from "../../src/comments/service";
import { parseCommentStatus } from "../../src/db/schema";
import { SLUG_PATTERN } from "../../src/lib/slug";
import { openLocalEnv } from "../lib/local-env";
import { siteUrlFor } from "../lib/site-url";
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE } from "../lib/target-flags";
import { type D1Target, isRecord, queryD1, readSourceSettings } from "../lib/wrangler";
import type { CommentsBackend } from "./comments-backend";
import { type Io, type PrintSettings, printComment, printList } from "./comments-format";
import { findIdsSql, parseIdPrefixes, resolveIdPrefixes } from "./comments-ids";
import { localBackend } from "./comments-local";
import { eraseDataRemotely, exportDataRemotely, moderateRemotely } from "./comments-remote";
import { countCommentsByEmailSql, listCommentsSql, showCommentSql } from "./comments-sql";

const COMMENTS_USAGE = `Usage: npm run comments -- <command> [options]

  list [--status pending|approved|spam|trash] [--article SLUG] [--limit N]
  show <id>
  approve <id...>      unapprove <id...>     spam <id...>
  trash <id...>        restore <id...>       delete <id...>   (delete is for good)
  export <e-mail>      everything stored under a commenter's address, as JSON
  erase <e-mail> --yes [--delete-comments]
                       erase it: name, address, website, IP hash and user agent
                       leave every comment (the text stays under "Anonym"), mail
                       subscriptions end; --delete-comments deletes the comments
  help                 this text

export and erase answer a commenter's request by letter (Art. 15 and 17
DSGVO), as the blog's "your data" page does, and are kept in its request log.

An <id> is a comment's id or its first 8 or more characters, as list prints
them; a short id that fits several comments is refused, naming them.
Times are in SITE_TIMEZONE, with the zone.

${TARGET_USAGE}

Locally the Worker's own code changes the local D1 (there is no edge cache;
the mail an approval makes due goes out with the Worker's next cron). With
--remote, actions go through the deployed Worker (SITE_URL), which also
purges the edge cache and mails: set ADMIN_TOKEN in the environment.`;

type Vars = Record<string, string | undefined>;

/** The ids the editor meant: each prefix resolved by one query; throws (exit 1) naming an ambiguous or unknown one. */
async function resolveIds(backend: CommentsBackend, args: string[]): Promise<string[]> {
  const prefixes = parseIdPrefixes(args);
  const rows = await backend.read(findIdsSql(prefixes));
  const resolved = resolveIdPrefixes(
    prefixes,
    rows.filter(isRecord).map((r) => String(r.id)),
  );
  if (!resolved.ok) throw new Error(resolved.error);
  return resolved.ids;
}

async function readPrintSettings(config?: string): Promise<PrintSettings> {
  const { timeZone, defaultLang, firstTimeMode } = await readSourceSettings(config);
  return { timeZone, defaultLang, firstTimeMode };
}

function parseCommentArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...TARGET_OPTIONS,
      status: { type: "string" },
      article: { type: "string" },
      limit: { type: "string", default: "50" },
      yes: { type: "boolean", default: false },
      "delete-comments": { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

/** The deployed blog: read with `wrangler d1 execute --remote`, moderated by the Worker's API. */
function remoteBackend(target: D1Target, token: string): CommentsBackend {
  return {
    read: async (sql) => (await queryD1(target, sql))[0] ?? [],
    moderate: async (action, ids) => moderateRemotely({ action, ids }, { siteUrl: await siteUrlFor(target), token }),
    exportData: async (email) => exportDataRemotely(email, { siteUrl: await siteUrlFor(target), token }),
    eraseData: async (email, deleteComments) => eraseDataRemotely(email, deleteComments, { siteUrl: await siteUrlFor(target), token }),
  };
}

/** Opens the backend for the target, runs `use` on it, and closes it whatever happened. */
async function withBackend<T>(target: D1Target, token: string, now: number, use: (backend: CommentsBackend) => Promise<T>): Promise<T> {
  if (target.remote) return use(remoteBackend(target, token));
  // stdout is the command's own: a list, or JSON to redirect into a file.
  const local = await openLocalEnv({ ...target, quiet: true });
  try {
    return await use(localBackend(local.env.DB, now, local.env));
  } finally {
    await local.dispose();
  }
}

/** The line about the edge cache after an action (none locally: there is no edge cache). */
function describePurge(result: ModerationOutcome): string | null {
  const n = result.tags.length;
  if (n === 0) return null;
  if (result.purge === "purged") return `Purged ${n} cache tag(s) at the edge.`;
  if (result.purge === "deferred") return `The edge purge failed; the Worker purges those ${n} cache tag(s) at its next 10-minute cron.`;
  if (result.purge === "failed") return `The edge purge failed; those pages refresh when their edge lifetime (a day) ends.`;
  return null;
}

interface DataRequestRun {
  target: D1Target;
  token: string;
  now: number;
  io: Io;
  usage: (message: string) => number;
}

/** `export <e-mail>` and `erase <e-mail> --yes [--delete-comments]`, through the same service as the commenter's own page. */
async function runDataRequest(
  command: "export" | "erase",
  args: string[],
  values: { yes?: boolean; "delete-comments"?: boolean },
  run: DataRequestRun,
): Promise<number> {
  const { target, token, now, io, usage } = run;
  if (args.length !== 1) return usage(`${command} takes exactly one e-mail address`);
  const parsed = parseCommenterEmail(args[0]);
  if (!parsed.ok) return usage(`not an e-mail address a comment can have: "${String(args[0]).slice(0, 120)}" (${parsed.problem.code.replace(/_/g, " ")})`);
  const email = parsed.email;
  if (target.remote && !token) return usage(`--remote ${command}s through the deployed Worker: set ADMIN_TOKEN in the environment`);
  if (command === "export") {
    const data = await withBackend(target, token, now, (b) => b.exportData(email));
    io.out(JSON.stringify(data, null, 2));
    return 0;
  }
  if (!values.yes) {
    const [row] = (await withBackend(target, token, now, (b) => b.read(countCommentsByEmailSql(email)))).filter(isRecord);
    io.err(`Under ${email}: ${Number(row?.n ?? 0)} comment(s), ${Number(row?.approved ?? 0)} of them published.`);
    return usage(
      `erase cannot be undone: run it again with --yes${values["delete-comments"] ? "" : " (add --delete-comments to delete the comments, not only the personal data)"}`,
    );
  }
  const result = await withBackend(target, token, now, (b) => b.eraseData(email, values["delete-comments"] === true));
  io.out(
    `erase: ${result.comments} comment(s) under ${email} ${result.deleted ? "deleted" : "anonymised"}, ${result.subscriptions} mail subscription(s) ended; recorded in the request log.`,
  );
  const purge = describePurge(result);
  if (purge) io.out(purge);
  return 0;
}

/** Runs the command; returns the exit code (0 ok, 1 failed, 2 bad usage). */
export async function runComments(argv: string[], io: Io, now = Date.now(), vars: Vars = process.env): Promise<number> {
  let parsed: ReturnType<typeof parseCommentArgs>;
  try {
    parsed = parseCommentArgs(argv);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    io.err(COMMENTS_USAGE);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (command === "help") {
    io.out(COMMENTS_USAGE);
    return 0;
  }
  if (values.help || !command) {
    (values.help ? io.out : io.err)(COMMENTS_USAGE);
    return values.help ? 0 : 2;
  }
  const usage = (message: string) => {
    io.err(message);
    io.err(COMMENTS_USAGE);
    return 2;
  };
  const target = readTargetFlags(values);
  if (typeof target === "string") return usage(target);
  const token = vars.ADMIN_TOKEN ?? "";
  try {
    if (command === "list") {
      const status = values.status === undefined ? undefined : parseCommentStatus(values.status);
      if (status === null) return usage(`--status must be pending, approved, spam or trash, not "${values.status}"`);
      if (values.article !== undefined && !SLUG_PATTERN.test(values.article)) return usage(`--article must be an article slug, not "${values.article}"`);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage("--limit must be a whole number from 1 to 1000");
      const rows = await withBackend(target, token, now, (b) => b.read(listCommentsSql({ status: status ?? undefined, article: values.article, limit })));
      printList(io, rows, await readPrintSettings(target.config));
      return 0;
    }
    if (command === "show") {
      if (args.length !== 1) return usage("show takes exactly one comment id");
      const { id, rows } = await withBackend(target, token, now, async (b) => {
        const [id = ""] = await resolveIds(b, args);
        return { id, rows: await b.read(showCommentSql(id)) };
      });
      const row = rows.find(isRecord);
      if (!row) {
        io.err(`No comment with id ${id}.`);
        return 1;
      }
      printComment(io, row, await readPrintSettings(target.config));
      return 0;
    }
    if (command === "export" || command === "erase") return await runDataRequest(command, args, values, { target, token, now, io, usage });
    const action = parseModerationAction(command);
    if (action) {
      if (args.length === 0) return usage(`${command} takes one or more comment ids`);
      if (args.length > MODERATION_MAX_IDS) return usage(`at most ${MODERATION_MAX_IDS} ids at a time`);
      if (target.remote && !token) return usage("--remote moderates through the deployed Worker: set ADMIN_TOKEN in the environment");
      try {
        parseIdPrefixes(args);
      } catch (err) {
        return usage(err instanceof Error ? err.message : String(err));
      }
      const { ids, result } = await withBackend(target, token, now, async (b) => {
        const ids = await resolveIds(b, args);
        return { ids, result: await b.moderate(action, ids) };
      });
      const changed = new Set(result.changed);
      for (const id of ids) io.out(`${changed.has(id) ? "changed  " : "unchanged"} ${id}`);
      io.out(
        `${command}: ${changed.size} of ${ids.length} comment(s) changed${changed.size < ids.length ? " (the others do not exist or had that status already)" : ""}.`,
      );
      const purge = describePurge(result);
      if (purge) io.out(purge);
      return 0;
    }
    return usage(`Unknown command "${command}".`);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
