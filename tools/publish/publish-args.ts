// Command-line arguments of `npm run publish`: node's parseArgs splits them,
// the shared target flags (tools/lib/target-flags.ts) say which D1, and a
// valibot schema checks the rest.
import { parseArgs } from "node:util";
import * as v from "valibot";
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE } from "../lib/target-flags";
import type { D1Target } from "../lib/wrangler";

export const PUBLISH_USAGE = `Usage: npm run publish -- [--local | --remote] [--dry-run] [--prune] [--yes] [options] [paths...]

Validates every article in the content directory, compares it with D1 and
prints the plan; then applies it in one transaction.

${TARGET_USAGE}
  --dry-run          print the plan, write nothing
  --prune            also remove articles whose file is gone (asks first)
  -y, --yes          do not ask before removing
  --content DIR      the content directory (default: content)
  paths...           publish only these files or folders inside the content
                     directory (all files are still validated)`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  "dry-run": { type: "boolean", default: false },
  prune: { type: "boolean", default: false },
  yes: { type: "boolean", short: "y", default: false },
  help: { type: "boolean", short: "h", default: false },
  content: { type: "string", default: "content" },
} as const;

/** What parseArgs and the target flags leave to check. */
const PublishArgsSchema = v.pipe(
  v.object({
    values: v.object({
      "dry-run": v.boolean(),
      prune: v.boolean(),
      yes: v.boolean(),
      help: v.boolean(),
      // node's parseArgs takes "--content=" as an empty value.
      content: v.pipe(v.string(), v.nonEmpty("--content needs a directory")),
    }),
    positionals: v.array(v.string()),
  }),
  v.transform(({ values, positionals }) => ({
    dryRun: values["dry-run"],
    prune: values.prune,
    yes: values.yes,
    help: values.help,
    contentDir: values.content,
    paths: positionals,
  })),
);

export type PublishArgs = v.InferOutput<typeof PublishArgsSchema> & { target: D1Target };

/** The parsed arguments, or a message that names the flag and what is wrong with it. */
export function parsePublishArgs(argv: string[]): PublishArgs | string {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    const target = readTargetFlags(parsed.values);
    if (typeof target === "string") return target;
    const result = v.safeParse(PublishArgsSchema, parsed);
    return result.success ? { ...result.output, target } : result.issues.map((issue) => issue.message).join("\n");
  } catch (error) {
    // parseArgs names the unknown or incomplete flag itself.
    return error instanceof Error ? error.message : String(error);
  }
}
