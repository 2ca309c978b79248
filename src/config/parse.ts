// Shared by the config schemas: the error type, the var helpers and the one cache.
import * as v from "valibot";
import { UnavailableError } from "../lib/errors";

/** A var or secret that is missing or malformed; `variable` names it. */
export class ConfigError extends UnavailableError {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(message);
  }
}

export type Input = Record<string, unknown>;
export const got = (issue: { input: unknown }) => `got "${String(issue.input)}"`;
/** An optional string var; empty and whitespace mean "not set". */
export const text = () => v.pipe(v.optional(v.string(), ""), v.trim());
export const orDefault = (fallback: string) => v.transform((s: string) => (s === "" ? fallback : s));

export function wholeNumber(name: string, fallback: string, what = "a whole number (0 turns it off)") {
  return v.pipe(
    text(),
    orDefault(fallback),
    v.regex(/^\d{1,6}$/, (i) => `wrangler var ${name} must be ${what}, ${got(i)}`),
    v.transform(Number),
  );
}

export function secret(name: string, min: number) {
  return v.pipe(
    v.optional(v.string(), ""),
    v.minLength(min, `secret ${name} must be set (at least ${min} characters): wrangler secret put ${name}, or .dev.vars locally`),
  );
}

let canonicalZones: ReadonlySet<string> | undefined;

/**
 * Whether the platform knows this time zone. The canonical names come from a
 * list: a new isolate's first Intl formatter loads ICU's data, some 15 ms of
 * CPU (npm run bench:budget), which an invocation that formats no date (a
 * queue batch, most crons) should not spend on reading its config. Other
 * names (aliases such as "Asia/Calcutta") are tried with a formatter.
 */
export function isTimeZone(timeZone: string): boolean {
  canonicalZones ??= new Set(Intl.supportedValuesOf("timeZone"));
  if (timeZone === "UTC" || canonicalZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat("en", { timeZone });
    return true;
  } catch {
    return false;
  }
}

export function isAbsoluteUrl(value: string): boolean {
  return URL.canParse(value);
}

// --- parsing and the one cache ----------------------------------------------------

/** Parses one concern; the first problem becomes a ConfigError naming its var. */
export function parseConcern<T extends v.GenericSchema>(schema: T, input: Input): v.InferOutput<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return result.output;
  const issue = result.issues[0];
  const key = issue.path?.[0]?.key;
  const variable = typeof key === "string" ? key : "?";
  const message = issue.type === "string" && variable !== "?" ? `wrangler var ${variable} must be a string, ${got(issue)}` : issue.message;
  throw new ConfigError(variable, message);
}

const cache = new WeakMap<object, Map<string, unknown>>();

/** Parses each concern of an env once per isolate (Workers pass the same env object to every request). */
export function cached<T>(env: object, concern: string, parse: () => T): T {
  let entries = cache.get(env);
  if (!entries) {
    entries = new Map();
    cache.set(env, entries);
  }
  if (entries.has(concern)) return entries.get(concern) as T;
  const value = parse();
  entries.set(concern, value);
  return value;
}
