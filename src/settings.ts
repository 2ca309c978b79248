import { LANGUAGES, type Language } from "./db/schema";

/** Site-wide settings, read from wrangler vars and checked once per isolate. */
export interface SiteSettings {
  title: string;
  description: string;
  /** Origin and base path without a trailing slash, e.g. "https://blog.example". */
  url: string;
  defaultLang: Language;
  timeZone: string;
}

type SiteVars = Pick<Env, "SITE_TITLE" | "SITE_DESCRIPTION" | "SITE_URL" | "DEFAULT_LANG" | "SITE_TIMEZONE">;

const cache = new WeakMap<object, SiteSettings>();

/** Reads and validates the site vars; a misconfigured var throws with its name. */
export function getSiteSettings(vars: SiteVars): SiteSettings {
  const cached = cache.get(vars);
  if (cached) return cached;
  const settings = parseSiteSettings(vars);
  cache.set(vars, settings);
  return settings;
}

export function parseSiteSettings(vars: SiteVars): SiteSettings {
  const title = vars.SITE_TITLE?.trim();
  if (!title) throw new Error("wrangler var SITE_TITLE must not be empty");
  let url: URL;
  try {
    url = new URL(vars.SITE_URL);
  } catch {
    throw new Error(`wrangler var SITE_URL must be an absolute URL, got "${vars.SITE_URL}"`);
  }
  if (!(LANGUAGES as readonly string[]).includes(vars.DEFAULT_LANG)) {
    throw new Error(`wrangler var DEFAULT_LANG must be one of ${LANGUAGES.join(", ")}, got "${vars.DEFAULT_LANG}"`);
  }
  const timeZone = vars.SITE_TIMEZONE || "UTC";
  try {
    new Intl.DateTimeFormat("en", { timeZone });
  } catch {
    throw new Error(`wrangler var SITE_TIMEZONE is not a known time zone: "${timeZone}"`);
  }
  return {
    title,
    description: vars.SITE_DESCRIPTION?.trim() ?? "",
    url: `${url.origin}${url.pathname}`.replace(/\/+$/, ""),
    defaultLang: vars.DEFAULT_LANG as Language,
    timeZone,
  };
}
