import type { Language } from "../db/schema";
import { de, en, type MessageKey } from "./messages";
import { deFormal } from "./messages-formal";

/** How German speaks to readers: "du" (as WordPress's de_DE) or "Sie" (de_DE_formal). English has one register. */
export const FORMS_OF_ADDRESS = ["informal", "formal"] as const;
export type FormOfAddress = (typeof FORMS_OF_ADDRESS)[number];
/** The admin, the moderators' mail and the CLI speak to the editors, who say du among themselves. */
export const EDITOR_ADDRESS: FormOfAddress = "informal";

type Table = Readonly<Record<MessageKey, string>>;
const TABLES: Record<Language, Record<FormOfAddress, Table>> = {
  de: { informal: de, formal: { ...de, ...deFormal } },
  en: { informal: en, formal: en },
};
const LOCALES: Record<Language, string> = { de: "de-DE", en: "en-GB" };

/** The language's locale, as Intl and Open Graph name it ("de-DE", "en-GB"). */
export function getLocale(lang: Language): string {
  return LOCALES[lang];
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

/** The string table of one language in one register, with {name} placeholders filled in. */
export function getTranslator(lang: Language, address: FormOfAddress): Translate {
  const table = TABLES[lang][address];
  return (key, params) => (params ? table[key].replace(/\{(\w+)\}/g, (m, name: string) => String(params[name] ?? m)) : table[key]);
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

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A date with its time and zone, for moderators (e.g. "29.11.2026, 20:15 MEZ"). */
export function formatDateTime(epochMs: number, lang: Language, timeZone: string): string {
  const key = `${lang}|${timeZone}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    const options = { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", timeZoneName: "short", timeZone } as const;
    format = new Intl.DateTimeFormat(LOCALES[lang], options);
    dateTimeFormats.set(key, format);
  }
  return format.format(epochMs);
}

const DURATION_UNITS = [
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
] as const;

/** A span of time in its largest whole unit ("3 Std.", "2 days"); under a minute is "0 min". */
export function formatDuration(ms: number, lang: Language): string {
  const [unit, size] = DURATION_UNITS.find(([, size]) => ms >= size) ?? DURATION_UNITS[2];
  const value = Math.floor(Math.max(0, ms) / size);
  return new Intl.NumberFormat(LOCALES[lang], { style: "unit", unit, unitDisplay: "long" }).format(value);
}
