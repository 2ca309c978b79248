// Command-line arguments of `npm run preview`.
import { parseArgs } from "node:util";
import * as v from "valibot";
import { DEFAULT_PREVIEW_DAYS, MAX_PREVIEW_DAYS } from "../../src/previews/link";
import type { D1Target } from "../lib/wrangler";

export const PREVIEW_USAGE = `Usage: npm run preview -- content/<file>.md [--local | --remote] [--expires 7d] [options]

Stores the rendered draft in D1 without publishing it and prints a signed
link for a colleague to read it. The link stops working at its expiry or
when the article is published.

  --expires N(d|h)   how long the link works (default ${DEFAULT_PREVIEW_DAYS}d, at most ${MAX_PREVIEW_DAYS}d)
  --local            the local D1 of \`npm start\` (default)
  --remote           the deployed D1 (PREVIEW_SECRET from the environment)
  --content DIR      the content directory (default: content)
  --persist-to DIR   local D1 state directory (--local only)
  -c, --config FILE  wrangler configuration (default: wrangler.toml)`;

const OPTIONS = {
  local: { type: "boolean", default: false },
  remote: { type: "boolean", default: false },
  expires: { type: "string", default: `${DEFAULT_PREVIEW_DAYS}d` },
  content: { type: "string", default: "content" },
  "persist-to": { type: "string" },
  config: { type: "string", short: "c" },
} as const;

const HOUR = 3_600_000;

const ArgsSchema = v.pipe(
  v.object({
    values: v.object({
      local: v.boolean(),
      remote: v.boolean(),
      expires: v.pipe(
        v.string(),
        v.regex(/^[1-9]\d{0,3}[dh]$/, (i) => `--expires must be a number of days or hours such as 7d or 12h, got "${i.input}"`),
        v.transform((s) => Number(s.slice(0, -1)) * (s.endsWith("d") ? 24 * HOUR : HOUR)),
        v.maxValue(MAX_PREVIEW_DAYS * 24 * HOUR, `--expires must be at most ${MAX_PREVIEW_DAYS}d`),
      ),
      content: v.pipe(v.string(), v.nonEmpty("--content needs a directory")),
      "persist-to": v.optional(v.pipe(v.string(), v.nonEmpty("--persist-to needs a path"))),
      config: v.optional(v.pipe(v.string(), v.nonEmpty("--config needs a path"))),
    }),
    positionals: v.pipe(v.array(v.string()), v.length(1, "Give exactly one Markdown file.")),
  }),
  v.check(({ values }) => !(values.local && values.remote), "Use either --local or --remote, not both."),
  v.check(({ values }) => !(values.remote && values["persist-to"] !== undefined), "--persist-to works only with --local."),
  v.transform(({ values, positionals }) => ({
    target: { remote: values.remote, persistTo: values["persist-to"], config: values.config } satisfies D1Target,
    expiresMs: values.expires,
    contentDir: values.content,
    file: positionals[0] ?? "",
  })),
);

export type PreviewArgs = v.InferOutput<typeof ArgsSchema>;

/** The parsed arguments, or a message naming the flag and what is wrong. */
export function parsePreviewArgs(argv: string[]): PreviewArgs | string {
  try {
    const result = v.safeParse(ArgsSchema, parseArgs({ args: argv, allowPositionals: true, strict: true, options: OPTIONS }));
    return result.success ? result.output : result.issues.map((issue) => issue.message).join("\n");
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
