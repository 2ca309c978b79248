import { type AccessConfig, getAccessConfig } from "./access";

export interface AdminSettings {
  /** Null when ADMIN_TOKEN is not set: the admin is then closed. */
  token: string | null;
  access: AccessConfig | null;
  editor: { name: string; email: string };
  purgeDays: number;
  webhookUrl: string | null;
}

type AdminVars = Pick<
  Env,
  | "ADMIN_TOKEN"
  | "ACCESS_TEAM_DOMAIN"
  | "ACCESS_AUD"
  | "EDITOR_NAME"
  | "EDITOR_EMAIL"
  | "COMMENT_PURGE_DAYS"
  | "MODERATION_WEBHOOK_URL"
  | "SITE_TITLE"
  | "SITE_URL"
>;

const cache = new WeakMap<object, AdminSettings>();

/** The admin's settings from vars and secrets; a malformed value throws naming it. */
export function getAdminSettings(env: AdminVars): AdminSettings {
  const cached = cache.get(env);
  if (cached) return cached;
  const token = env.ADMIN_TOKEN?.trim() ?? "";
  if (token !== "" && token.length < 16) throw new Error("secret ADMIN_TOKEN must be at least 16 characters");
  const purge = (env.COMMENT_PURGE_DAYS ?? "30").trim() || "30";
  if (!/^\d{1,5}$/.test(purge)) throw new Error(`wrangler var COMMENT_PURGE_DAYS must be a whole number of days (0 keeps everything), got "${purge}"`);
  const webhook = env.MODERATION_WEBHOOK_URL?.trim() ?? "";
  if (webhook !== "" && !/^https?:\/\//.test(webhook)) throw new Error("MODERATION_WEBHOOK_URL must be an http(s) URL");
  const host = new URL(env.SITE_URL).hostname;
  const settings: AdminSettings = {
    token: token === "" ? null : token,
    access: getAccessConfig(env),
    editor: { name: env.EDITOR_NAME?.trim() || env.SITE_TITLE, email: env.EDITOR_EMAIL?.trim() || `editor@${host}` },
    purgeDays: Number(purge),
    webhookUrl: webhook === "" ? null : webhook,
  };
  cache.set(env, settings);
  return settings;
}
