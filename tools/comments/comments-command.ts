// `npm run comments -- <command>`: moderation from the terminal. Locally it
// runs the Worker's own statements through `wrangler d1 execute` (a local
// Worker has no edge cache to purge); with --remote the deployed Worker does
// the action through its API (ADMIN_TOKEN) and purges what the web admin would.
import { parseArgs } from "node:util";
import { type ModerationAction, parseModerationAction } from "../../src/comments/moderation-sql";
import { parseCommentStatus } from "../../src/db/schema";
import { SLUG_PATTERN } from "../../src/lib/slug";
import { siteUrlFor } from "../lib/site-url";
import { type D1Target, isRecord, queryD1, readSourceSettings } from "../lib/wrangler";
import { type Io, type PrintSettings, printComment, printList } from "./comments-format";
import { findIdsSql, parseIdPrefixes, resolveIdPrefixes } from "./comments-ids";
import { moderateRemotely } from "./comments-remote";
import { actionSql, listCommentsSql, showCommentSql } from "./comments-sql";

export const COMMENTS_USAGE = `Usage: npm run comments -- <command> [options]

  list [--status pending|approved|spam|trash] [--article SLUG] [--limit N]
  show <id>
  approve <id...>      unapprove <id...>     spam <id...>
  trash <id...>        restore <id...>       delete <id...>   (delete is for good)
  help                 this text

An <id> is a comment's id or its first 8 or more characters, as list prints
them; a short id that fits several comments is refused, naming them.
Times are in SITE_TIMEZONE, with the zone.

Options: --local (default) | --remote, --persist-to DIR, -c/--config FILE
With --remote, actions go through the deployed Worker (SITE_URL), which also
purges the edge cache: set ADMIN_TOKEN in the environment.`;

/** D1 allows 100 bound values a query; ids are inlined, but keep statements small anyway. */
const MAX_IDS = 100;

type Vars = Record<string, string | undefined>;

/** The ids the editor meant: each prefix resolved by one query; throws (exit 1) naming an ambiguous or unknown one. */
async function resolveIds(target: D1Target, args: string[]): Promise<string[]> {
  const prefixes = parseIdPrefixes(args);
  const [rows = []] = await queryD1(target, findIdsSql(prefixes));
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
      local: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      status: { type: "string" },
      article: { type: "string" },
      limit: { type: "string", default: "50" },
      "persist-to": { type: "string" },
      config: { type: "string", short: "c" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
}

async function moderateLocally(target: D1Target, action: ModerationAction, ids: string[], now: number): Promise<Set<string>> {
  const [rows = []] = await queryD1(target, actionSql(action, ids, now));
  return new Set(rows.filter(isRecord).map((r) => String(r.id)));
}

async function moderateOnWorker(io: Io, action: ModerationAction, ids: string[], token: string, config?: string): Promise<Set<string>> {
  const result = await moderateRemotely({ action, ids }, { siteUrl: await siteUrlFor({ remote: true, config }), token });
  if (result.tags.length > 0)
    io.out(result.purged ? `Purged ${result.tags.length} cache tag(s) at the edge.` : "The Worker runs without Workers Cache: nothing to purge.");
  return new Set(result.changed);
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
  if (values.local && values.remote) return usage("Use either --local or --remote, not both.");
  const target: D1Target = {
    remote: values.remote,
    ...(values["persist-to"] ? { persistTo: values["persist-to"] } : {}),
    ...(values.config ? { config: values.config } : {}),
  };
  try {
    if (command === "list") {
      const status = values.status === undefined ? undefined : parseCommentStatus(values.status);
      if (status === null) return usage(`--status must be pending, approved, spam or trash, not "${values.status}"`);
      if (values.article !== undefined && !SLUG_PATTERN.test(values.article)) return usage(`--article must be an article slug, not "${values.article}"`);
      const limit = Number(values.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 1000) return usage("--limit must be a whole number from 1 to 1000");
      const [rows = []] = await queryD1(target, listCommentsSql({ status: status ?? undefined, article: values.article, limit }));
      printList(io, rows, await readPrintSettings(target.config));
      return 0;
    }
    if (command === "show") {
      if (args.length !== 1) return usage("show takes exactly one comment id");
      const [id = ""] = await resolveIds(target, args);
      const [rows = []] = await queryD1(target, showCommentSql(id));
      const row = rows.find(isRecord);
      if (!row) {
        io.err(`No comment with id ${id}.`);
        return 1;
      }
      printComment(io, row, await readPrintSettings(target.config));
      return 0;
    }
    const action = parseModerationAction(command);
    if (action) {
      if (args.length === 0) return usage(`${command} takes one or more comment ids`);
      if (args.length > MAX_IDS) return usage(`at most ${MAX_IDS} ids at a time`);
      if (target.remote && !vars.ADMIN_TOKEN) return usage("--remote moderates through the deployed Worker: set ADMIN_TOKEN in the environment");
      try {
        parseIdPrefixes(args);
      } catch (err) {
        return usage(err instanceof Error ? err.message : String(err));
      }
      const ids = await resolveIds(target, args);
      const changed = target.remote
        ? await moderateOnWorker(io, action, ids, vars.ADMIN_TOKEN ?? "", target.config)
        : await moderateLocally(target, action, ids, now);
      for (const id of ids) io.out(`${changed.has(id) ? "changed  " : "unchanged"} ${id}`);
      io.out(
        `${command}: ${changed.size} of ${ids.length} comment(s) changed${changed.size < ids.length ? " (the others do not exist or had that status already)" : ""}.`,
      );
      return 0;
    }
    return usage(`Unknown command "${command}".`);
  } catch (err) {
    io.err(err instanceof Error ? err.message : String(err));
    return 1;
  }
}
