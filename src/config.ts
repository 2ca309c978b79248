// The one place that reads Env (vars and secrets): one valibot schema per
// concern, each parsed once per isolate. A bad value throws a ConfigError that
// names the var and says what it must be. The comment pipeline (endpoint,
// consumer, clean-up) reads only its own concerns, never the admin's.
import * as v from "valibot";
import { type EditorIdentity, editorEntries, readEditorIdentity } from "./config/editor";
import { type LookSettings, lookSchema, readLook } from "./config/look";
import { cached, got, type Input, isAbsoluteUrl, isTimeZone, orDefault, parseConcern, secret, text, wholeNumber } from "./config/parse";
import { LANGUAGES, type Language } from "./db/schema";
import { FORMS_OF_ADDRESS, type FormOfAddress } from "./i18n";

export { ConfigError } from "./config/parse";

// --- site ---------------------------------------------------------------------

const siteSchema = v.object({
  SITE_TITLE: v.pipe(text(), v.nonEmpty("wrangler var SITE_TITLE must not be empty")),
  SITE_DESCRIPTION: text(),
  SITE_URL: v.pipe(
    text(),
    v.check(isAbsoluteUrl, (i) => `wrangler var SITE_URL must be an absolute URL, ${got(i)}`),
    v.transform((s) => {
      const url = new URL(s);
      return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
    }),
  ),
  DEFAULT_LANG: v.picklist(LANGUAGES, (i) => `wrangler var DEFAULT_LANG must be one of ${LANGUAGES.join(", ")}, ${got(i)}`),
  SITE_TIMEZONE: v.pipe(
    text(),
    orDefault("UTC"),
    v.check(isTimeZone, (i) => `wrangler var SITE_TIMEZONE must be a known time zone such as "Europe/Berlin", ${got(i)}`),
  ),
  FORM_OF_ADDRESS: v.pipe(
    text(),
    orDefault("informal"),
    v.picklist(FORMS_OF_ADDRESS, (i) => `wrangler var FORM_OF_ADDRESS must be "informal" (du) or "formal" (Sie), ${got(i)}`),
  ),
  ...lookSchema,
});

/** Site-wide settings, read from wrangler vars and checked once per isolate. */
export interface SiteSettings extends LookSettings {
  title: string;
  description: string;
  /** Origin and base path without a trailing slash, e.g. "https://blog.example". */
  url: string;
  defaultLang: Language;
  timeZone: string;
  /** How German texts for readers and commenters address them: "du" or "Sie". */
  formOfAddress: FormOfAddress;
}

/** The site vars from a plain record (the Worker's env, or wrangler.toml's [vars] in the CLI). */
export function parseSiteVars(vars: Input): SiteSettings {
  const s = parseConcern(siteSchema, vars);
  return {
    title: s.SITE_TITLE,
    description: s.SITE_DESCRIPTION,
    url: s.SITE_URL,
    defaultLang: s.DEFAULT_LANG,
    timeZone: s.SITE_TIMEZONE,
    formOfAddress: s.FORM_OF_ADDRESS,
    ...readLook(s),
  };
}

/** Reads and validates the site vars; a misconfigured var throws a ConfigError naming it. */
export function getSiteSettings(env: object): SiteSettings {
  return cached(env, "site", () => parseSiteVars(env as Input));
}

// --- the comment pipeline -------------------------------------------------------

const MODERATION_MODES = ["all", "first_time"] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];
/** The rate limit counts comments per client within this many seconds. */
export const RATE_WINDOW_SECONDS = 600;

/** One word or phrase per line (commas also separate), as in WordPress's discussion settings. */
export function parseWordList(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\n,]/)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0);
}

const webhookSchema = v.pipe(
  text(),
  v.check(
    (s) => s === "" || /^https?:\/\/[^/\s]/.test(s),
    (i) => `wrangler var MODERATION_WEBHOOK_URL must be an http(s) URL or empty, ${got(i)}`,
  ),
);

const commentSchema = v.object({
  COMMENT_MIN_SECONDS: wholeNumber("COMMENT_MIN_SECONDS", "3"),
  COMMENT_FLOOD_SECONDS: wholeNumber("COMMENT_FLOOD_SECONDS", "15"),
  COMMENT_RATE_LIMIT: wholeNumber("COMMENT_RATE_LIMIT", "10"),
  COMMENT_MAX_LINKS: wholeNumber("COMMENT_MAX_LINKS", "2"),
  COMMENT_MODERATION: v.pipe(
    text(),
    orDefault("all"),
    v.picklist(MODERATION_MODES, (i) => `wrangler var COMMENT_MODERATION must be "all" or "first_time", ${got(i)}`),
  ),
  COMMENT_DISALLOWED_WORDS: v.pipe(
    v.optional(v.string(), ""),
    v.transform((s: string) => parseWordList(s)),
  ),
  COMMENT_MODERATION_WORDS: v.pipe(
    v.optional(v.string(), ""),
    v.transform((s: string) => parseWordList(s)),
  ),
  MODERATION_WEBHOOK_URL: webhookSchema,
  FORM_SECRET: secret("FORM_SECRET", 16),
  IP_HASH_SALT: secret("IP_HASH_SALT", 16),
  ...editorEntries,
});

export interface CommentSettings {
  minSeconds: number;
  floodSeconds: number;
  /** Comments per client (IPv4 address, IPv6 /64) per RATE_WINDOW_SECONDS. */
  rateLimit: number;
  maxLinks: number;
  moderation: ModerationMode;
  disallowedWords: string[];
  moderationWords: string[];
  formSecret: string;
  ipSalt: string;
  /** Where the consumer posts a notice for each held comment, or null. */
  webhookUrl: string | null;
  /** Whom a reader's comment must not pass for (the admin replies as them). */
  editor: EditorIdentity;
}

/** The comment pipeline's thresholds and secrets; a bad value throws a ConfigError naming it. */
export function getCommentSettings(env: object): CommentSettings {
  return cached(env, "comments", () => {
    const s = parseConcern(commentSchema, env as Input);
    return {
      minSeconds: s.COMMENT_MIN_SECONDS,
      floodSeconds: s.COMMENT_FLOOD_SECONDS,
      rateLimit: s.COMMENT_RATE_LIMIT,
      maxLinks: s.COMMENT_MAX_LINKS,
      moderation: s.COMMENT_MODERATION,
      disallowedWords: s.COMMENT_DISALLOWED_WORDS,
      moderationWords: s.COMMENT_MODERATION_WORDS,
      formSecret: s.FORM_SECRET,
      ipSalt: s.IP_HASH_SALT,
      webhookUrl: s.MODERATION_WEBHOOK_URL || null,
      editor: readEditorIdentity(s),
    };
  });
}

const RETENTION_RULE = "a whole number of days (0 keeps everything)";
/** The longest IP_HASH_RETENTION_DAYS: a year; there is no "keep for ever". */
const MAX_IP_HASH_DAYS = 365;
const ipHashDays = v.pipe(
  wholeNumber("IP_HASH_RETENTION_DAYS", "7", "a whole number of days from 1"),
  v.minValue(1, (i) => `wrangler var IP_HASH_RETENTION_DAYS must be a whole number of days from 1, ${got(i)}`),
  v.maxValue(
    MAX_IP_HASH_DAYS,
    (i) => `wrangler var IP_HASH_RETENTION_DAYS must be at most ${MAX_IP_HASH_DAYS} days (IP hashes are never kept for ever), ${got(i)}`,
  ),
);
const retentionSchema = v.object({ COMMENT_EXPIRE_DAYS: wholeNumber("COMMENT_EXPIRE_DAYS", "30", RETENTION_RULE) });
const ipRetentionSchema = v.object({ IP_HASH_RETENTION_DAYS: ipHashDays });
// The var's name before "purge" came to mean the edge cache only. Still read
// while COMMENT_EXPIRE_DAYS is not set, so a site that set it keeps its retention.
const legacyRetentionSchema = v.object({ COMMENT_PURGE_DAYS: wholeNumber("COMMENT_PURGE_DAYS", "30", RETENTION_RULE) });

export interface RetentionSettings {
  /** Spam, trash and failed-message records older than this many days are deleted; 0 keeps them. */
  expireDays: number;
  /** A comment's IP hash and user agent, and the flood and rate records, are cleared after this many days (at least 1). */
  ipHashDays: number;
}

/** Given a value: anything but missing or blank (as text() reads "not set"). */
const isGiven = (value: unknown) => value !== undefined && !(typeof value === "string" && value.trim() === "");

/** What the daily clean-up keeps; needs no secret, so a broken admin or form secret cannot stop it. */
export function getRetentionSettings(env: object): RetentionSettings {
  return cached(env, "retention", () => {
    const vars = env as Input;
    const ipHashDays = parseConcern(ipRetentionSchema, vars).IP_HASH_RETENTION_DAYS;
    if (!isGiven(vars.COMMENT_EXPIRE_DAYS) && isGiven(vars.COMMENT_PURGE_DAYS)) {
      return { expireDays: parseConcern(legacyRetentionSchema, vars).COMMENT_PURGE_DAYS, ipHashDays };
    }
    return { expireDays: parseConcern(retentionSchema, vars).COMMENT_EXPIRE_DAYS, ipHashDays };
  });
}

/** The page where commenters see, download and erase what the blog stores about them (Art. 15 and 17 DSGVO). */
export const MY_DATA_PATH = "/my-data";

// --- e-mail ------------------------------------------------------------------------

const address = (name: string) =>
  v.pipe(
    text(),
    v.check(
      (s) => s === "" || /^[^\s@<>",]+@[^\s@<>",]+\.[^\s@<>",]+$/.test(s),
      (i) => `wrangler var ${name} must be one e-mail address or empty, ${got(i)}`,
    ),
  );

const mailSchema = v.object({ MODERATION_EMAIL: address("MODERATION_EMAIL"), EMAIL_FROM: address("EMAIL_FROM") });

export interface MailSettings {
  /** The sender on the Email Service's sending domain; null: no mail is sent at all. */
  from: string | null;
  /** Where held comments are reported; null: not by mail. */
  moderators: string | null;
}

/** Who sends and who gets the mail about comments; a bad address throws a ConfigError naming the var. */
export function getMailSettings(env: object): MailSettings {
  return cached(env, "mail", () => {
    const s = parseConcern(mailSchema, env as Input);
    const from = s.EMAIL_FROM || null;
    return { from, moderators: from && s.MODERATION_EMAIL ? s.MODERATION_EMAIL : null };
  });
}

export { type AdminSettings, getAdminSettings, warnWeakAdminToken } from "./config/admin";
export type { EditorIdentity } from "./config/editor";
export { getPreviewSettings } from "./config/preview";
export { type CommentPageOrder, getReaderSettings, type ReaderSettings } from "./config/reader";
