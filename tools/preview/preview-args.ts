// Command-line arguments of `npm run preview`.
import { parseArgs } from "node:util";
import * as v from "valibot";
import { DEFAULT_PREVIEW_DAYS, MAX_PREVIEW_DAYS } from "../../src/previews/link";
import { readTargetFlags, TARGET_OPTIONS, TARGET_USAGE } from "../lib/target-flags";
import type { D1Target } from "../lib/wrangler";

export const PREVIEW_USAGE = `Usage: npm run preview -- content/<file>.md [--local | --remote] [--expires 7d] [options]

Stores the rendered draft in D1 without publishing it and prints a signed
link for a colleague to read it. The link stops working at its expiry or
when the article is published.

${TARGET_USAGE}
  --expires N(d|h)   how long the link works (default ${DEFAULT_PREVIEW_DAYS}d, at most ${MAX_PREVIEW_DAYS}d)
  --content DIR      the content directory (default: content)

With --remote, PREVIEW_SECRET comes from the environment; locally from .dev.vars.`;

const OPTIONS = {
  ...TARGET_OPTIONS,
  expires: { type: "string", default: `${DEFAULT_PREVIEW_DAYS}d` },
  content: { type: "string", default: "content" },
} as const;

const HOUR = 3_600_000;

const ArgsSchema = v.pipe(
  v.object({
    values: v.object({
      expires: v.pipe(
        v.string(),
        v.regex(/^[1-9]\d{0,3}[dh]$/, (i) => `--expires must be a number of days or hours such as 7d or 12h, got "${i.input}"`),
        v.transform((s) => Number(s.slice(0, -1)) * (s.endsWith("d") ? 24 * HOUR : HOUR)),
        v.maxValue(MAX_PREVIEW_DAYS * 24 * HOUR, `--expires must be at most ${MAX_PREVIEW_DAYS}d`),
      ),
      content: v.pipe(v.string(), v.nonEmpty("--content needs a directory")),
    }),
    positionals: v.pipe(v.array(v.string()), v.length(1, "Give exactly one Markdown file.")),
  }),
  v.transform(({ values, positionals }) => ({
    expiresMs: values.expires,
    contentDir: values.content,
    file: positionals[0] ?? "",
  })),
);

export type PreviewArgs = v.InferOutput<typeof ArgsSchema> & { target: D1Target };

/** The parsed arguments, or a message naming the flag and what is wrong. */
export function parsePreviewArgs(argv: string[]): PreviewArgs | string {
  try {
    const parsed = parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS });
    const target = readTargetFlags(parsed.values);
    if (typeof target === "string") return target;
    const result = v.safeParse(ArgsSchema, parsed);
    return result.success ? { ...result.output, target } : result.issues.map((issue) => issue.message).join("\n");
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
