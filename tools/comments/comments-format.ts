// How `npm run comments` prints comments: short ids, times in SITE_TIMEZONE
// with their zone, and the reasons in the same sentences as the web admin.
import { describeReasons } from "../../src/comments/reason-text";
import type { Language } from "../../src/db/schema";
import { EDITOR_ADDRESS, getTranslator } from "../../src/i18n";
import type { CliIo } from "../lib/terminal-io";
import { isRecord } from "../lib/wrangler";
import { shortId } from "./comments-ids";

/** The terminal's lines out and errors out (tools/lib/terminal-io.ts); the comments command asks nothing. */
export type Io = Pick<CliIo, "out" | "err">;
export interface PrintSettings {
  timeZone: string;
  defaultLang: Language;
  firstTimeMode: boolean;
}

/** "2026-11-29 20:15 CET": sortable, in the site's zone, and saying which zone. */
function formatTime(ms: unknown, timeZone: string): string {
  if (typeof ms !== "number") return "";
  const options = {
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZoneName: "short",
    timeZone,
  } as const;
  const parts = Object.fromEntries(new Intl.DateTimeFormat("en-GB", options).formatToParts(ms).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

export function printList(io: Io, rows: unknown[], settings: PrintSettings): void {
  if (rows.length === 0) {
    io.out("No comments.");
    return;
  }
  for (const row of rows.filter(isRecord)) {
    const author = String(row.author).slice(0, 24).padEnd(24);
    io.out(
      `${shortId(String(row.id))}  ${String(row.status).padEnd(8)}  ${formatTime(row.created_at, settings.timeZone)}  ${author}  ${row.article}  ${row.excerpt}`,
    );
  }
  io.out(`${rows.length} comment(s).`);
}

export function printComment(io: Io, row: Record<string, unknown>, settings: PrintSettings): void {
  const t = getTranslator(settings.defaultLang, EDITOR_ADDRESS);
  const reasons = describeReasons(t, typeof row.reasons === "string" ? row.reasons : "[]", String(row.status), settings.firstTimeMode);
  const parent = row.parent_id ? `${row.parent_author ?? "?"} (${shortId(String(row.parent_id))})` : "";
  const fields: [string, unknown][] = [
    ["id", row.id],
    ["status", row.status],
    ["article", `${row.article} (${row.article_title})`],
    ["author", row.author],
    ["email", row.email],
    ["website", row.url ?? ""],
    ["ip hash", row.ip_hash ?? ""],
    ["submitted", formatTime(row.created_at, settings.timeZone)],
    ["decided", formatTime(row.decided_at, settings.timeZone)],
    ["reply to", parent],
  ];
  for (const [name, value] of fields) io.out(`${name.padEnd(10)} ${String(value)}`);
  io.out(`${"reasons".padEnd(10)} ${reasons.length === 0 ? "–" : reasons.join("\n           ")}`);
  io.out("");
  io.out(String(row.body_raw));
}
