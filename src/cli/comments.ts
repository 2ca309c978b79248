// `npm run comments -- <command>`: moderation from the terminal. Locally it
// runs the Worker's own statements through `wrangler d1 execute` (a local
// Worker has no edge cache to purge); with --remote the deployed Worker does
// the action through its API (ADMIN_TOKEN) and purges what the web admin would.
import { parseArgs } from "node:util";
import { type ModerationAction, parseModerationAction } from "../comments/moderation-sql";
import { parseCommentStatus } from "../db/schema";
import { SLUG_PATTERN } from "../lib/slug";
import { moderateRemotely } from "./comments-remote";
import { actionSql, listCommentsSql, showCommentSql } from "./comments-sql";
import { type D1Target, isRecord, queryD1, readSourceSettings } from "./wrangler";

export const COMMENTS_USAGE = `Usage: npm run comments -- <command> [options]

  list [--status pending|approved|spam|trash] [--article SLUG] [--limit N]
  show <id>
  approve <id...>      unapprove <id...>     spam <id...>
  trash <id...>        restore <id...>       delete <id...>   (delete is for good)

Options: --local (default) | --remote, --persist-to DIR, -c/--config FILE
With --remote, actions go through the deployed Worker (SITE_URL), which also
purges the edge cache: set ADMIN_TOKEN in the environment.`;

/** D1 allows 100 bound values a query; ids are inlined, but keep statements small anyway. */
const MAX_IDS = 100;

type Io = { out: (line: string) => void; err: (line: string) => void };
type Vars = Record<string, string | undefined>;

function formatTime(ms: unknown): string {
  return typeof ms === "number" ? new Date(ms).toISOString().slice(0, 16).replace("T", " ") : "";
}

function printList(io: Io, rows: unknown[]): void {
  if (rows.length === 0) {
    io.out("No comments.");
    return;
  }
  for (const row of rows.filter(isRecord)) {
    io.out(
      `${row.id}  ${String(row.status).padEnd(8)}  ${formatTime(row.created_at)}  ${String(row.author).slice(0, 24).padEnd(24)}  ${row.article}  ${row.excerpt}`,
    );
  }
  io.out(`${rows.length} comment(s).`);
}

function printComment(io: Io, row: Record<string, unknown>): void {
  const fields: [string, unknown][] = [
    ["id", row.id],
    ["status", row.status],
    ["article", `${row.article} (${row.article_title})`],
    ["author", row.author],
    ["email", row.email],
    ["website", row.url ?? ""],
    ["reasons", row.reasons],
    ["ip hash", row.ip_hash ?? ""],
    ["submitted", formatTime(row.created_at)],
    ["decided", formatTime(row.decided_at)],
    ["parent", row.parent_id ?? ""],
  ];
  for (const [name, value] of fields) io.out(`${name.padEnd(10)} ${String(value)}`);
  io.out("");
  io.out(String(row.body_raw));
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
  const { siteUrl } = await readSourceSettings(config);
  const result = await moderateRemotely({ action, ids }, { siteUrl, token });
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
  const [command, ...ids] = positionals;
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
      printList(io, rows);
      return 0;
    }
    if (command === "show") {
      if (ids.length !== 1) return usage("show takes exactly one comment id");
      const [rows = []] = await queryD1(target, showCommentSql(ids[0] ?? ""));
      const row = rows.find(isRecord);
      if (!row) {
        io.err(`No comment with id ${ids[0]}.`);
        return 1;
      }
      printComment(io, row);
      return 0;
    }
    const action = parseModerationAction(command);
    if (action) {
      if (ids.length === 0) return usage(`${command} takes one or more comment ids`);
      if (ids.length > MAX_IDS) return usage(`at most ${MAX_IDS} ids at a time`);
      if (target.remote && !vars.ADMIN_TOKEN) return usage("--remote moderates through the deployed Worker: set ADMIN_TOKEN in the environment");
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
