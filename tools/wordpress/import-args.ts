// Command-line arguments of `npm run import:wordpress`, checked.
import { parseArgs } from "node:util";
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE } from "../lib/target-flags";
import type { D1Target } from "../lib/wrangler";

export const IMPORT_USAGE = `Usage: npm run import:wordpress -- <export.xml> [--media <uploads folder>] [--dry-run] [--local | --remote] [--yes]
       [--remove-samples | --keep-samples] [--overwrite-edited]

Reads a WordPress export (Tools → Export, WXR 1.0–1.2), prints the plan, then
writes the posts and pages as Markdown files, publishes them, and stores the
comments and the redirects from the old URLs in the same D1, all in one
transaction: the import lands whole or not at all.

${TARGET_USAGE}
  --media DIR        the old site's wp-content/uploads folder: referenced files
                     are copied to <content>/media/ and the links rewritten
  --dry-run          print the plan, write nothing
  -y, --yes          replace files the import did not write that have a
                     post's slug, without asking (never a file edited since
                     an earlier import)
  --overwrite-edited also replace files edited since an earlier import, and
                     write again the ones deleted since
  --remove-samples   remove the sample articles the blog ships with (only
                     unchanged ones; an edited sample is kept)
  --keep-samples     keep them without asking
  --pingbacks        also import pingbacks and trackbacks
  --content DIR      the content directory (default: content)`;

export interface ImportArgs {
  exportFile: string;
  uploadsDir: string | null;
  dryRun: boolean;
  yes: boolean;
  overwriteEdited: boolean;
  /** What to do with the sample articles; null: ask on a terminal, else keep them. */
  samples: "remove" | "keep" | null;
  pingbacks: boolean;
  help: boolean;
  contentDir: string;
  target: D1Target;
}

/** The parsed arguments, or a message saying what is wrong with them. */
export function parseImportArgs(argv: string[]): ImportArgs | string {
  let parsed: ReturnType<typeof read>;
  try {
    parsed = read(argv);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  const { values, positionals } = parsed;
  if (values.help) return { ...empty(), help: true };
  if (positionals.length !== 1)
    return positionals.length === 0 ? "Name the export file (export.xml)." : `One export file at a time, got ${positionals.length}.`;
  const target = readTargetFlags(values);
  if (typeof target === "string") return target;
  if (values.content === "") return "--content needs a directory";
  if (values["remove-samples"] && values["keep-samples"]) return "Use either --remove-samples or --keep-samples, not both.";
  return {
    exportFile: positionals[0] ?? "",
    uploadsDir: values.media ?? null,
    dryRun: values["dry-run"],
    yes: values.yes,
    overwriteEdited: values["overwrite-edited"],
    samples: values["remove-samples"] ? "remove" : values["keep-samples"] ? "keep" : null,
    pingbacks: values.pingbacks,
    help: false,
    contentDir: values.content,
    target,
  };
}

function read(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      ...TARGET_OPTIONS,
      media: { type: "string" },
      "dry-run": { type: "boolean", default: false },
      yes: { type: "boolean", short: "y", default: false },
      "overwrite-edited": { type: "boolean", default: false },
      "remove-samples": { type: "boolean", default: false },
      "keep-samples": { type: "boolean", default: false },
      pingbacks: { type: "boolean", default: false },
      help: { type: "boolean", short: "h", default: false },
      content: { type: "string", default: "content" },
    },
  });
}

function empty(): ImportArgs {
  return {
    exportFile: "",
    uploadsDir: null,
    dryRun: false,
    yes: false,
    overwriteEdited: false,
    samples: null,
    pingbacks: false,
    help: false,
    contentDir: "content",
    target: { remote: false },
  };
}
