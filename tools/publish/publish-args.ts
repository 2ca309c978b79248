// Command-line arguments of `npm run publish`: node's parseArgs splits them,
// a valibot schema checks what goes together.
import { parseArgs } from "node:util";
import * as v from "valibot";
import type { D1Target } from "../lib/wrangler";

export const PUBLISH_USAGE = `Usage: npm run publish -- [--local | --remote] [--dry-run] [--prune] [--yes] [options] [paths...]

Validates every article in the content directory, compares it with D1 and
prints the plan; then applies it in one transaction.

  --local            the local D1 of \`wrangler dev\` (default)
  --remote           the deployed D1
  --dry-run          print the plan, write nothing
  --prune            also remove articles whose file is gone (asks first)
  -y, --yes          do not ask before removing
  --content DIR      the content directory (default: content)
  --persist-to DIR   local D1 state directory (as for wrangler; --local only)
  -c, --config FILE  wrangler configuration (default: wrangler.toml)
  paths...           publish only these files or folders inside the content
                     directory (all files are still validated)`;

const OPTIONS = {
  local: { type: "boolean", default: false },
  remote: { type: "boolean", default: false },
  "dry-run": { type: "boolean", default: false },
  prune: { type: "boolean", default: false },
  yes: { type: "boolean", short: "y", default: false },
  help: { type: "boolean", short: "h", default: false },
  content: { type: "string", default: "content" },
  "persist-to": { type: "string" },
  config: { type: "string", short: "c" },
} as const;

/** A directory or file flag: node's parseArgs takes "--content=" as an empty value. */
const path = (flag: string) => v.optional(v.pipe(v.string(), v.nonEmpty(`${flag} needs a path`)));

/** What parseArgs leaves to check: the flags that go together, and the paths given. */
const PublishArgsSchema = v.pipe(
  v.object({
    values: v.object({
      local: v.boolean(),
      remote: v.boolean(),
      "dry-run": v.boolean(),
      prune: v.boolean(),
      yes: v.boolean(),
      help: v.boolean(),
      content: v.pipe(v.string(), v.nonEmpty("--content needs a directory")),
      "persist-to": path("--persist-to"),
      config: path("--config"),
    }),
    positionals: v.array(v.string()),
  }),
  v.check(({ values }) => !(values.local && values.remote), "Use either --local or --remote, not both."),
  v.check(({ values }) => !(values.remote && values["persist-to"] !== undefined), "--persist-to works only with --local."),
  v.transform(({ values, positionals }) => ({
    target: { remote: values.remote, persistTo: values["persist-to"], config: values.config } satisfies D1Target,
    dryRun: values["dry-run"],
    prune: values.prune,
    yes: values.yes,
    help: values.help,
    contentDir: values.content,
    paths: positionals,
  })),
);

export type PublishArgs = v.InferOutput<typeof PublishArgsSchema>;

/** The parsed arguments, or a message that names the flag and what is wrong with it. */
export function parsePublishArgs(argv: string[]): PublishArgs | string {
  try {
    const result = v.safeParse(PublishArgsSchema, parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS }));
    return result.success ? result.output : result.issues.map((issue) => issue.message).join("\n");
  } catch (error) {
    // parseArgs names the unknown or incomplete flag itself.
    return error instanceof Error ? error.message : String(error);
  }
}
