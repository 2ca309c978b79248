// Command-line arguments of `npm run publish`, checked.
import { parseArgs } from "node:util";
import type { D1Target } from "./wrangler";

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

export interface PublishArgs {
  target: D1Target;
  dryRun: boolean;
  prune: boolean;
  yes: boolean;
  help: boolean;
  contentDir: string;
  paths: string[];
}

function readArgs(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      local: { type: "boolean", default: false },
      remote: { type: "boolean", default: false },
      "dry-run": { type: "boolean", default: false },
      prune: { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
      help: { type: "boolean", short: "h", default: false },
      content: { type: "string", default: "content" },
      "persist-to": { type: "string" },
      config: { type: "string", short: "c" },
    },
  });
}

/** The parsed arguments, or a message saying what is wrong with them. */
export function parsePublishArgs(argv: string[]): PublishArgs | string {
  let parsed: ReturnType<typeof readArgs>;
  try {
    parsed = readArgs(argv);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (values.local && values.remote) return "Use either --local or --remote, not both.";
  if (values.remote && values["persist-to"]) return "--persist-to works only with --local.";
  return {
    target: { remote: values.remote, persistTo: values["persist-to"], config: values.config },
    dryRun: values["dry-run"],
    prune: values.prune,
    yes: values.yes,
    help: values.help,
    contentDir: values.content,
    paths: positionals,
  };
}
