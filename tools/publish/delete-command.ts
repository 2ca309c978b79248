// `npm run delete -- SLUG...`: deletes articles or pages for good, with their
// comments, tags and aliases. Publishing never does: a file that is gone only
// lists its article, and `--prune` only takes it offline (410, kept in D1).
// So this names what it deletes: only articles already offline, each by its
// slug, after saying how many comments go with it, and only when confirmed
// (--yes, or yes at the terminal).
import { parseArgs } from "node:util";
import { cacheTags } from "../../src/cache/tags";
import { byteLength, chunkList, ROWS_PER_STATEMENT, STATEMENT_BUDGET_BYTES, sqlString } from "../../src/db/sql-text";
import { SLUG_PATTERN } from "../../src/lib/slug";
import { purgeEdgeAfterPublish } from "../lib/purge-edge";
import { checkRemoteSiteUrl } from "../lib/remote-site";
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE } from "../lib/target-flags";
import type { CliIo } from "../lib/terminal-io";
import { type D1Runner, type D1Target, isRecord, readSourceSettings, wranglerRunner } from "../lib/wrangler";
import { describeComments, sitePath } from "./plan-report";

const DELETE_USAGE = `Usage: npm run delete -- [--local | --remote] [--yes] SLUG...

Deletes articles or pages for good from D1, with their comments, tags and
old URLs. Only an article that \`npm run publish -- --prune\` took offline
(its file is gone) can be deleted; it says how many comments go with it and
asks first.

${TARGET_USAGE}
  -y, --yes          do not ask before deleting
  SLUG...            the slug of each article or page to delete`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  yes: { type: "boolean", short: "y", default: false },
  help: { type: "boolean", short: "h", default: false },
} as const;

interface DeleteArgs {
  target: D1Target;
  yes: boolean;
  help: boolean;
  slugs: string[];
}

/** The parsed arguments, or a message that names what is wrong. */
function parseDeleteArgs(argv: string[]): DeleteArgs | string {
  let parsed: ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: typeof OPTIONS }>>;
  try {
    parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const target = readTargetFlags(parsed.values);
  if (typeof target === "string") return target;
  const { yes, help } = parsed.values;
  if (help) return { target, yes, help, slugs: [] };
  if (parsed.positionals.length === 0) return "Name the slug of each article to delete, e.g. npm run delete -- alter-artikel";
  const bad = parsed.positionals.find((slug) => !SLUG_PATTERN.test(slug));
  if (bad !== undefined) return `"${bad}" is not a slug: lower-case letters, digits and single hyphens, as in the article's URL /articles/<slug>`;
  return { target, yes, help, slugs: [...new Set(parsed.positionals)] };
}

/** An article as the deletion reports it. */
interface Doomed {
  slug: string;
  kind: "article" | "page";
  sourcePath: string | null;
  goneAt: number | null;
  comments: number;
  approved: number;
  aliases: number;
}

/** Runs `npm run delete` with these arguments; resolves to the exit code. */
export async function runDelete(argv: string[], io: CliIo, runner?: D1Runner): Promise<number> {
  const args = parseDeleteArgs(argv);
  if (typeof args === "string") {
    io.err(`${args}\n\n${DELETE_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(DELETE_USAGE);
    return 0;
  }
  try {
    return await deleteForGood(args, io, runner ?? wranglerRunner(args.target));
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

async function deleteForGood(args: DeleteArgs, io: CliIo, runner: D1Runner): Promise<number> {
  const settings = await readSourceSettings(args.target.config);
  const refused = args.target.remote ? checkRemoteSiteUrl(settings.siteUrl, args.target.config ?? "wrangler.toml") : null;
  if (refused) {
    io.err(refused);
    return 2;
  }
  const found = await readDoomed(args.slugs, runner);
  const problems = args.slugs.flatMap((slug) => {
    const article = found.get(slug);
    if (!article) return [`${slug}: no article or page with this slug in D1 (an old URL of one is deleted with it; name its current slug)`];
    if (article.goneAt !== null) return [];
    const file = article.sourcePath ? ` (${article.sourcePath})` : "";
    return [
      `${slug}: still on the site${file}; only an article taken offline can be deleted for good. Remove its file and run npm run publish -- --prune first.`,
    ];
  });
  if (problems.length > 0) {
    for (const problem of problems) io.err(problem);
    io.err("Nothing was deleted.");
    return 1;
  }
  const doomed = args.slugs.map((slug) => found.get(slug)).filter((a): a is Doomed => a !== undefined);
  io.out(`Deleting for good from the ${args.target.remote ? "remote" : "local"} D1:`);
  for (const a of doomed)
    io.out(
      `  ${a.kind} ${sitePath(a)}: ${describeComments(a.comments)}${a.approved > 0 ? ` (${a.approved} approved)` : ""}, ${a.aliases} old URL${a.aliases === 1 ? "" : "s"}`,
    );
  const comments = doomed.reduce((sum, a) => sum + a.comments, 0);
  const what = `${doomed.length} article${doomed.length === 1 ? "" : "s"} and ${comments} comment${comments === 1 ? "" : "s"}`;
  if (!args.yes) {
    const answer = await io.confirm(`Delete ${what} for good? This cannot be undone.`);
    if (answer !== true) {
      io.err(
        answer === null
          ? `Not deleting ${what} without confirmation, and there is no terminal to ask: run again with --yes. Nothing was deleted.`
          : "Nothing was deleted.",
      );
      return 1;
    }
  }
  await runner.apply(buildDeleteStatements(args.slugs));
  io.out(`Deleted for good: ${what}.`);
  if (args.target.remote) {
    // Their 410 pages (at the slug and at the old URLs, all tagged with the slug) become 404s.
    await purgeEdgeAfterPublish(
      doomed.map((a) => cacheTags.article(a.slug)),
      { siteUrl: settings.siteUrl, token: process.env.ADMIN_TOKEN },
      io,
    );
  }
  return 0;
}

async function readDoomed(slugs: string[], runner: D1Runner): Promise<Map<string, Doomed>> {
  const list = slugs.map(sqlString).join(", ");
  const [rows = []] = await runner.query([
    `SELECT a.slug, a.kind, a.source_path, a.gone_at,
       (SELECT count(*) FROM comments c WHERE c.article_id = a.id) AS comments,
       (SELECT count(*) FROM comments c WHERE c.article_id = a.id AND c.status = 'approved') AS approved,
       (SELECT count(*) FROM article_aliases al WHERE al.article_id = a.id) AS aliases
     FROM articles a WHERE a.slug IN (${list});`,
  ]);
  const found = new Map<string, Doomed>();
  for (const row of rows) {
    if (!isRecord(row) || typeof row.slug !== "string") throw new Error(`unexpected row from D1: ${JSON.stringify(row)}`);
    found.set(row.slug, {
      slug: row.slug,
      kind: row.kind === "page" ? "page" : "article",
      sourcePath: typeof row.source_path === "string" ? row.source_path : null,
      goneAt: typeof row.gone_at === "number" ? row.gone_at : null,
      comments: Number(row.comments),
      approved: Number(row.approved),
      aliases: Number(row.aliases),
    });
  }
  return found;
}

/**
 * Deletes these articles (only those offline, should one have come back
 * since it was read) with their comments, tags and aliases, in one
 * transaction; then the tags no article uses any more.
 */
function buildDeleteStatements(slugs: string[]): string[] {
  const statements: string[] = [];
  for (const chunk of chunkList(slugs.map(sqlString), { maxItems: ROWS_PER_STATEMENT, maxBytes: STATEMENT_BUDGET_BYTES / 3 }, (s) => byteLength(s) + 2)) {
    const list = chunk.join(", ");
    const ids = `(SELECT id FROM articles WHERE slug IN (${list}) AND gone_at IS NOT NULL)`;
    // Explicit rather than relying on ON DELETE CASCADE.
    for (const table of ["comments", "article_tags", "article_aliases"]) statements.push(`DELETE FROM ${table} WHERE article_id IN ${ids};`);
    statements.push(`DELETE FROM articles WHERE slug IN (${list}) AND gone_at IS NOT NULL;`);
  }
  statements.push("DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM article_tags WHERE article_tags.tag_id = tags.id);");
  return statements;
}
