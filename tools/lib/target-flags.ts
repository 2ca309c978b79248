// The flags that say which D1 a command works on, the same for every command:
// --local (the default) or --remote, --persist-to DIR (local only) and
// -c/--config FILE. One parser, so one flag gets one message everywhere.
import { parseArgs } from "node:util";
import type { D1Target } from "./wrangler";

/** The target flags in node's parseArgs form; commands spread them into their own options. */
export const TARGET_OPTIONS = {
  local: { type: "boolean", default: false },
  remote: { type: "boolean", default: false },
  "persist-to": { type: "string" },
  config: { type: "string", short: "c" },
} as const;

/** The usage lines of the target flags, for every command's help. */
export const TARGET_USAGE = `  --local            the local D1 of \`npm start\` and \`wrangler dev\` (default)
  --remote           the deployed D1
  --persist-to DIR   local D1 state directory (as for wrangler; --local only)
  -c, --config FILE  wrangler configuration (default: wrangler.toml)`;

/** What each target flag is refused for, worded once. */
export const TARGET_MESSAGES = {
  localAndRemote: "Use either --local or --remote, not both.",
  persistToRemote: "--persist-to works only with --local.",
  persistToEmpty: "--persist-to needs a directory",
  configEmpty: "--config needs a file",
} as const;

/** The target flags as parseArgs hands them over (a string flag without a value comes as true when not strict). */
export interface TargetValues {
  local?: boolean | string;
  remote?: boolean | string;
  "persist-to"?: string | boolean;
  config?: string | boolean;
}

export interface TargetRules {
  /** Set when the command cannot honour --persist-to: the message that says why. */
  persistToUnsupported?: string;
  /** Set when the command works on the local D1 only: the message for --remote. */
  remoteUnsupported?: string;
}

/** The D1 target that parsed flags name, or the message naming the flag that is wrong. */
export function readTargetFlags(values: TargetValues, rules: TargetRules = {}): D1Target | string {
  const remote = values.remote === true;
  if (values.local === true && remote) return TARGET_MESSAGES.localAndRemote;
  if (remote && rules.remoteUnsupported) return rules.remoteUnsupported;
  const persistTo = readPath(values["persist-to"], TARGET_MESSAGES.persistToEmpty);
  const config = readPath(values.config, TARGET_MESSAGES.configEmpty);
  if (persistTo instanceof PathProblem) return persistTo.message;
  if (config instanceof PathProblem) return config.message;
  if (persistTo !== undefined && rules.persistToUnsupported) return rules.persistToUnsupported;
  if (persistTo !== undefined && remote) return TARGET_MESSAGES.persistToRemote;
  return { remote, ...(persistTo !== undefined ? { persistTo } : {}), ...(config !== undefined ? { config } : {}) };
}

class PathProblem {
  constructor(readonly message: string) {}
}

/** A path flag's value; "--flag=" and a missing value (or the next flag taken as one) are problems. */
function readPath(value: string | boolean | undefined, message: string): string | undefined | PathProblem {
  if (value === undefined || value === false) return undefined;
  if (value === true || value === "" || value.startsWith("-")) return new PathProblem(message);
  return value;
}

/**
 * Takes the target flags out of argv and leaves the rest in order, for the
 * commands that hand the rest to `wrangler dev` (npm start, npm run dev).
 */
export function takeTargetFlags(argv: string[], rules: TargetRules = {}): { target: D1Target; rest: string[] } | string {
  const { values, tokens } = parseArgs({ args: argv, options: TARGET_OPTIONS, strict: false, allowPositionals: true, tokens: true });
  const target = readTargetFlags(values, rules);
  if (typeof target === "string") return target;
  const names = new Set(Object.keys(TARGET_OPTIONS));
  const taken = new Set<number>();
  for (const token of tokens) {
    if (token.kind !== "option" || !names.has(token.name)) continue;
    taken.add(token.index);
    if (typeof token.value === "string" && !token.inlineValue) taken.add(token.index + 1);
  }
  return { target, rest: argv.filter((_, i) => !taken.has(i)) };
}
