// Generated impostors: ways to write a name or an address that a reader cannot
// tell from the original on the page, as someone posing as the editor would.

const CYRILLIC: Record<string, string> = { a: "а", e: "е", o: "о", p: "р", c: "с", x: "х", y: "у", i: "і", s: "ѕ", A: "А", E: "Е", O: "О", T: "Т", H: "Н" };
const GREEK: Record<string, string> = { a: "α", o: "ο", i: "ι", A: "Α", E: "Ε", O: "Ο", T: "Τ", K: "Κ", u: "υ" };
const INVISIBLES = ["\u200b", "\u200c", "\u200d", "\u2060", "\u00ad", "\ufeff", "\ufe0f", "\u3164", "\u180e"];
const BIDI = ["\u200e", "\u200f", "\u061c", "\u202a", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"];
const SPACES = ["  ", "\u00a0", "\u2003", "\u3000", "\u202f"];

const fullwidth = (s: string) => s.replace(/[!-~]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) + 0xfee0));
// Mathematical bold letters (U+1D400…): NFKC turns them back into ASCII.
const mathBold = (s: string) => s.replace(/[A-Za-z]/g, (ch) => String.fromCodePoint((ch <= "Z" ? 0x1d400 - 65 : 0x1d41a - 97) + ch.charCodeAt(0)));
const alternateCase = (s: string) => [...s].map((ch, i) => (i % 2 ? ch.toLowerCase() : ch.toUpperCase())).join("");

/** Each replaceable character swapped on its own, and all of them at once. */
function swaps(s: string, table: Record<string, string>): string[] {
  const out: string[] = [];
  const chars = [...s];
  chars.forEach((ch, i) => {
    const other = Object.hasOwn(table, ch) ? table[ch] : undefined;
    if (other) out.push([...chars.slice(0, i), other, ...chars.slice(i + 1)].join(""));
  });
  out.push(chars.map((ch) => (Object.hasOwn(table, ch) ? table[ch] : ch)).join(""));
  return out;
}

/** `insert` put after the first character, in the middle, and around the whole. */
function insertions(s: string, insert: string): string[] {
  const chars = [...s];
  const mid = Math.floor(chars.length / 2);
  return [[chars[0], insert, ...chars.slice(1)].join(""), [...chars.slice(0, mid), insert, ...chars.slice(mid)].join(""), `${insert}${s}${insert}`];
}

/** Names that read as `name` (a single-word name, as EDITOR_NAME is here). */
export function lookalikeNames(name: string): string[] {
  const variants = [
    name.toLowerCase(),
    name.toUpperCase(),
    alternateCase(name),
    ...swaps(name, CYRILLIC),
    ...swaps(name, GREEK),
    fullwidth(name),
    mathBold(name),
    name.normalize("NFD").replace(/([aeiou])/, "$1\u0301"),
    ...INVISIBLES.flatMap((ch) => insertions(name, ch)),
    ...BIDI.flatMap((ch) => insertions(name, ch)),
    ...SPACES.flatMap((sp) => insertions(name, sp)),
    ` ${name} `,
    [...name].join(" "),
    `${name.slice(0, 3)}-${name.slice(3)}`,
    `${name} (Redaktion)`,
    `Editor ${name}`,
    "Redaktion",
    "EDITOR",
    // Several at once: Cyrillic a, a zero-width joiner and fullwidth letters.
    `${fullwidth(name.slice(0, 2))}\u200d${(swaps(name.slice(2), CYRILLIC).at(-1) ?? "").toUpperCase()}`,
  ];
  return [...new Set(variants)].filter((v) => v !== name);
}

/** Addresses that read as (or reach) `email`, each one the comment form accepts. */
export function lookalikeEmails(email: string): string[] {
  const [local = "", domain = ""] = email.split("@");
  const variants = [
    email.toUpperCase(),
    alternateCase(email),
    ...swaps(local, CYRILLIC).map((l) => `${l}@${domain}`),
    ...swaps(domain, CYRILLIC).map((d) => `${local}@${d}`),
    `${fullwidth(local)}@${domain}`,
    ...["\u200b", "\u200d", "\u2060", "\u00ad"].flatMap((ch) => insertions(local, ch).map((l) => `${l}@${domain}`)),
    `${local}+blog@${domain}`,
    `${local.normalize("NFD").replace(/([aeiou])/, "$1\u0308")}@${domain}`,
  ];
  return [...new Set(variants)].filter((v) => v !== email);
}

/** Names near the editor's that are other people's, which must not be held for it. */
export const UNLIKE_NAMES = ["Erika", "Agentur", "Agenturteam Nord", "Team", "Redaktionsteam Müller"];
export const UNLIKE_EMAILS = (email: string): string[] => {
  const [local = "", domain = ""] = email.split("@");
  return [`${local}2@${domain}`, `redaktion@${domain}`, `${local}@${domain}.org`, `${local}@mail.${domain}`];
};
