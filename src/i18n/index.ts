import { LANGUAGES, type Language } from "../db/schema";
import { de, en, type MessageKey } from "./messages";

const TABLES: Record<Language, Record<MessageKey, string>> = { de, en };
const LOCALES: Record<Language, string> = { de: "de-DE", en: "en-GB" };

/** The language's locale, as Intl and Open Graph name it ("de-DE", "en-GB"). */
export function getLocale(lang: Language): string {
  return LOCALES[lang];
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The string table of one language, with {name} placeholders filled in. */
export function getTranslator(lang: Language): Translate {
  const table = TABLES[lang];
  return (key, params) => (params ? table[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : table[key]);
}

/** Narrows any string to a supported language, falling back to `fallback`. */
export function parseLanguage(value: string | null | undefined, fallback: Language): Language {
  return (LANGUAGES as readonly string[]).includes(value ?? "") ? (value as Language) : fallback;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A date as readers of `lang` write it (e.g. "12. März 2014" / "12 March 2014"). */
export function formatDate(epochMs: number, lang: Language, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(LOCALES[lang], { dateStyle: "long", timeZone });
    dateFormats.set(key, format);
  }
  return format.format(epochMs);
}

/** ISO 8601 for `<time datetime>`. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString();
}
