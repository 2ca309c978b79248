// Routes are thin (DESIGN.md, principle 18): they parse, call a service, and
// render. What follows a write (the edge purge, the mail, the webhook) belongs
// to the service function of that action (src/comments/service.ts), so that
// the web, the API, the CLI and the consumer cannot drift apart. A route that
// imports a purge or a sender fails here, naming the file and the import.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROUTES = path.resolve(import.meta.dirname, "../../src/routes");

// Functions that mail or notify, by their names: mailApprovedComments, sendMail, sendHeldDigest, notifyModerators …
const FOLLOW_UP_NAME = /^(?:mail|notify)[A-Z]|^send\w*(?:Mail|Digest)/;
// The cache module's purges (purgeEdgeCache, purgeCommentPages, purgeAfterWrite …); a service may purge, a route may not.
const PURGE_NAME = /^purge[A-Z]/;
// Modules that purge or send: a route may take a plain helper from one of them
// (canMailCommenters, whether mail is set up), never the module whole.
const FOLLOW_UP_MODULE = /(?:^|\/)(?:mail\/send|comments\/(?:reader-mail|held-mail|notify|mail-failures)|cache\/(?:purge|pending-purges))$/;
// The cache module: a namespace import of it would reach its purge functions unseen.
const CACHE_MODULE = /(?:^|\/)cache(?:\/[\w-]+)?$/;

interface Import {
  names: string[];
  namespace: boolean;
  from: string;
}

/** Every static import and import() of a source file, with the names it binds. */
function listImports(source: string): Import[] {
  const found: Import[] = [];
  for (const m of source.matchAll(/import\s+(type\s+)?([\s\S]*?)\s+from\s+["']([^"']+)["']/g)) {
    if (m[1]) continue;
    const clause = m[2] ?? "";
    const braces = /\{([\s\S]*)\}/.exec(clause)?.[1] ?? "";
    const names = braces
      .split(",")
      .map((part) => part.trim())
      .filter((part) => part !== "" && !part.startsWith("type "))
      .map((part) => part.split(/\s+as\s+/)[0]?.trim() ?? "");
    const outside = clause
      .replace(/\{[\s\S]*\}/, "")
      .replace(/,/g, " ")
      .trim();
    found.push({ names, namespace: outside.includes("*"), from: m[3] ?? "" });
  }
  for (const m of source.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)) found.push({ names: [], namespace: true, from: m[1] ?? "" });
  return found;
}

/** What a route must not import: a purge, mail or notice function, or a module that does them. */
function listFollowUps(source: string): string[] {
  const problems: string[] = [];
  for (const imp of listImports(source)) {
    if (imp.namespace && (FOLLOW_UP_MODULE.test(imp.from) || CACHE_MODULE.test(imp.from))) problems.push(`* from "${imp.from}"`);
    for (const name of imp.names) {
      if (FOLLOW_UP_NAME.test(name) || (PURGE_NAME.test(name) && CACHE_MODULE.test(imp.from))) problems.push(`${name} from "${imp.from}"`);
    }
  }
  return problems;
}

describe("route modules", () => {
  it("import no purge, mail or notice function: they call the action's service", async () => {
    const files = (await readdir(ROUTES)).filter((f) => /\.tsx?$/.test(f));
    expect(files.length).toBeGreaterThan(10);
    const offenders: string[] = [];
    for (const file of files) {
      for (const problem of listFollowUps(await readFile(path.join(ROUTES, file), "utf8"))) offenders.push(`src/routes/${file} imports ${problem}`);
    }
    expect(offenders).toEqual([]);
  });

  it("the check finds what it is for", () => {
    const route = `import { isCacheTag, purgeCommentPages } from "../cache";
import {
  editComment,
  mailAfterModeration as mail,
} from "../comments/reader-mail";
import * as cache from "../cache";
import type { PurgeContext } from "../cache";
import { sendMail } from "../mail/send";
const later = await import("../cache/purge");`;
    expect(listFollowUps(route)).toEqual([
      'purgeCommentPages from "../cache"',
      'mailAfterModeration from "../comments/reader-mail"',
      '* from "../cache"',
      'sendMail from "../mail/send"',
      '* from "../cache/purge"',
    ]);
    const thin = `import { moderateComments } from "../comments/service";
import { purgePublishedPages } from "../articles/publish-service";
import { setPersonalCaching } from "../cache";
import { canMailCommenters } from "../comments/reader-mail";
import { sendWithEtag } from "./respond";`;
    expect(listFollowUps(thin)).toEqual([]);
  });
});
