// `npm run new -- "Title"`: a new article file with its front matter filled in.
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { formatSiteDate } from "../articles/site-dates";
import { LANGUAGES } from "../db/schema";
import { SLUG_PATTERN, slugify } from "../lib/slug";
import { readSourceSettings } from "./wrangler";

const USAGE = `Usage: npm run new -- "Title" [--slug SLUG] [--lang de|en] [--content DIR] [-c wrangler.toml]

Creates DIR/SLUG.md (default: content/<slug of the title>.md) as a draft dated now.`;

/** The text of a new article file: filled-in front matter and a placeholder body. */
function renderNewArticle(title: string, opts: { date: string; lang: string }): string {
  return [
    "---",
    `title: ${stringify(title).trimEnd()}`,
    `date: ${opts.date}  # the publish time; a future date schedules the article`,
    `summary: ""`,
    "tags: []",
    `lang: ${opts.lang}`,
    `author: ""`,
    "comments: open",
    "draft: true  # delete this line (or set false) to publish",
    "---",
    "",
    "The first paragraph opens the article.",
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { slug: { type: "string" }, lang: { type: "string" }, content: { type: "string", default: "content" }, config: { type: "string", short: "c" } },
  });
  const title = positionals.join(" ").trim();
  if (!title) throw new Error(USAGE);
  const settings = await readSourceSettings(values.config);
  const slug = values.slug ?? slugify(title);
  if (!SLUG_PATTERN.test(slug)) throw new Error(`slug: "${slug}" is not a valid slug; pass one with --slug`);
  const lang = values.lang ?? settings.defaultLang;
  if (!LANGUAGES.some((l) => l === lang)) throw new Error(`--lang must be ${LANGUAGES.map((l) => `"${l}"`).join(" or ")}, got "${lang}"`);
  const file = path.join(values.content, `${slug}.md`);
  const date = formatSiteDate(Date.now() - (Date.now() % 60_000), settings.timeZone);
  // "wx": never overwrite an existing article.
  await writeFile(file, renderNewArticle(title, { date, lang }), { flag: "wx" }).catch((error: unknown) => {
    throw new Error(isExists(error) ? `${file} already exists; choose another title or --slug` : String(error));
  });
  console.log(`Created ${file} (a draft). Write, then: npm run publish -- --dry-run`);
  return 0;
}

function isExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "EEXIST";
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  return 1;
});
