// The comment pipeline's thresholds and secrets, read from wrangler vars and
// secrets. Every threshold is a whole number; 0 turns its check off.

export const MODERATION_MODES = ["all", "first_time"] as const;
export type ModerationMode = (typeof MODERATION_MODES)[number];

export interface CommentSettings {
  minSeconds: number;
  floodSeconds: number;
  /** Comments per IP per RATE_WINDOW_SECONDS. */
  rateLimit: number;
  maxLinks: number;
  moderation: ModerationMode;
  disallowedWords: string[];
  moderationWords: string[];
  formSecret: string;
  ipSalt: string;
}

export const RATE_WINDOW_SECONDS = 600;

type CommentVars = Pick<
  Env,
  | "COMMENT_MIN_SECONDS"
  | "COMMENT_FLOOD_SECONDS"
  | "COMMENT_RATE_LIMIT"
  | "COMMENT_MAX_LINKS"
  | "COMMENT_MODERATION"
  | "COMMENT_DISALLOWED_WORDS"
  | "COMMENT_MODERATION_WORDS"
  | "FORM_SECRET"
  | "IP_HASH_SALT"
>;

function parseCount(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === "") return fallback;
  if (!/^\d{1,6}$/.test(value.trim())) throw new Error(`wrangler var ${name} must be a whole number (0 turns it off), got "${value}"`);
  return Number(value.trim());
}

/** One word or phrase per line (commas also separate), as in WordPress's discussion settings. */
export function parseWordList(value: string | undefined): string[] {
  return (value ?? "")
    .split(/[\n,]/)
    .map((w) => w.trim().toLowerCase())
    .filter((w) => w.length > 0);
}

function requireSecret(name: string, value: string | undefined): string {
  if (!value || value.length < 16) {
    throw new Error(`secret ${name} must be set (at least 16 characters): wrangler secret put ${name}, or .dev.vars locally`);
  }
  return value;
}

const cache = new WeakMap<object, CommentSettings>();

/** Reads and checks the comment settings once per env object; a bad value throws naming it. */
export function getCommentSettings(env: CommentVars): CommentSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const moderation = env.COMMENT_MODERATION || "all";
  if (!(MODERATION_MODES as readonly string[]).includes(moderation)) {
    throw new Error(`wrangler var COMMENT_MODERATION must be "all" or "first_time", got "${moderation}"`);
  }
  const settings: CommentSettings = {
    minSeconds: parseCount("COMMENT_MIN_SECONDS", env.COMMENT_MIN_SECONDS, 3),
    floodSeconds: parseCount("COMMENT_FLOOD_SECONDS", env.COMMENT_FLOOD_SECONDS, 15),
    rateLimit: parseCount("COMMENT_RATE_LIMIT", env.COMMENT_RATE_LIMIT, 10),
    maxLinks: parseCount("COMMENT_MAX_LINKS", env.COMMENT_MAX_LINKS, 2),
    moderation: moderation as ModerationMode,
    disallowedWords: parseWordList(env.COMMENT_DISALLOWED_WORDS),
    moderationWords: parseWordList(env.COMMENT_MODERATION_WORDS),
    formSecret: requireSecret("FORM_SECRET", env.FORM_SECRET),
    ipSalt: requireSecret("IP_HASH_SALT", env.IP_HASH_SALT),
  };
  cache.set(env, settings);
  return settings;
}
