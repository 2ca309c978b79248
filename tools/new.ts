// `npm run new -- "Title"`: a new article (or, with --page, a new page) file
// with its front matter filled in.
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import * as v from "valibot";
import { stringify } from "yaml";
import { LANGUAGES } from "../src/db/schema";
import { SLUG_PATTERN, slugify } from "../src/lib/slug";
import { terminalIo } from "./lib/terminal-io";
import { readSourceSettings } from "./lib/wrangler";
import { PAGES_DIR } from "./publish/front-matter";
import { newSourceId } from "./publish/publish-ids";

const USAGE = `Usage: npm run new -- "Title" [--page] [--slug SLUG] [--lang de|en] [--content DIR] [-c wrangler.toml]

Creates DIR/SLUG.md (default: content/<slug of the title>.md) as a draft
without a date: the first publish fills in its date and writes it into the
file. With --page, DIR/pages/SLUG.md, a page for the header navigation.`;

/** What parseArgs leaves to check, each message naming its flag. */
const NewArgsSchema = v.pipe(
  v.object({
    values: v.object({
      slug: v.optional(
        v.pipe(
          v.string(),
          v.regex(SLUG_PATTERN, (i) => `--slug: "${i.input}" is not a valid slug; use lower-case letters, digits and single hyphens`),
        ),
      ),
      lang: v.optional(v.picklist(LANGUAGES, (i) => `--lang must be ${LANGUAGES.map((l) => `"${l}"`).join(" or ")}, got "${String(i.input)}"`)),
      content: v.pipe(v.string(), v.nonEmpty("--content needs a directory")),
      config: v.optional(v.string()),
      page: v.boolean(),
    }),
    title: v.pipe(v.string(), v.trim(), v.nonEmpty(USAGE)),
  }),
  v.transform(({ values, title }) => ({ ...values, title, slug: values.slug ?? slugify(title) })),
  v.check(
    ({ slug }) => SLUG_PATTERN.test(slug),
    (i) => `the title "${i.input.title}" gives no slug; pass one with --slug`,
  ),
);

/** The text of a new file: filled-in front matter and a placeholder body. */
function renderNewFile(title: string, opts: { lang: string; page: boolean }): string {
  const kindLines = opts.page
    ? ["nav: header  # header or footer, or delete this line", "navOrder: 10", "comments: closed"]
    : ["# date: the first publish fills it in; set one (2026-03-01T09:00:00+01:00) to schedule", `summary: ""`, "tags: []", `author: ""`, "comments: open"];
  return [
    "---",
    `title: ${stringify(title).trimEnd()}`,
    ...kindLines,
    `lang: ${opts.lang}`,
    "draft: true  # delete this line (or set false) to publish",
    // Written now rather than at the first publish, so publishing never edits a file that is open in an editor.
    `id: ${newSourceId()}  # the article's own; keep it when renaming or moving the file`,
    "---",
    "",
    opts.page ? "The page's text." : "The first paragraph opens the article.",
    "",
  ].join("\n");
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      slug: { type: "string" },
      lang: { type: "string" },
      content: { type: "string", default: "content" },
      config: { type: "string", short: "c" },
      page: { type: "boolean", default: false },
    },
  });
  const args = v.parse(NewArgsSchema, { values, title: positionals.join(" ") });
  const settings = await readSourceSettings(args.config);
  const dir = args.page ? path.join(args.content, PAGES_DIR) : args.content;
  const file = path.join(dir, `${args.slug}.md`);
  await mkdir(dir, { recursive: true });
  // "wx": never overwrite an existing file.
  await writeFile(file, renderNewFile(args.title, { lang: args.lang ?? settings.defaultLang, page: args.page }), { flag: "wx" }).catch((error: unknown) => {
    throw new Error(isExists(error) ? `${file} already exists; choose another title or --slug` : String(error));
  });
  terminalIo.out(`Created ${file} (a draft). Write, then: npm run publish -- --dry-run`);
  return 0;
}

function isExists(error: unknown): boolean {
  return typeof error === "object" && error !== null && "code" in error && error.code === "EEXIST";
}

process.exitCode = await main(process.argv.slice(2)).catch((error: unknown) => {
  terminalIo.err(v.isValiError(error) ? error.issues.map((issue) => issue.message).join("\n") : error instanceof Error ? error.message : String(error));
  return 1;
});
