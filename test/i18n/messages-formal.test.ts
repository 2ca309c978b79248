// The formal register: every German text a reader or commenter sees that says
// du (or a du imperative) has a Sie form, and only those texts have one.
import { describe, expect, it } from "vitest";
import { EDITOR_ADDRESS, getTranslator } from "../../src/i18n";
import { de, en, type MessageKey } from "../../src/i18n/messages";
import { deFormal } from "../../src/i18n/messages-formal";

// Whole words only ("dir" is no match in "Direkt", "du" none in "durch"), any case.
const word = (words: string) => new RegExp(`(?<!\\p{L})(?:${words})(?!\\p{L})`, "iu");
const DU = word("du|dich|dir|dein|deine|deinen|deinem|deiner|deines|euch|euer|eure");
// The du imperatives the German texts use (they address the reader without a pronoun).
const DU_IMPERATIVE = word(
  "hinterlasse|versuch|versuche|frag|frage|fordere|schau|nimm|prüfe|lade|schick|schicke|warte|sende|durchsuche|kreuze|lass|bestätige|melde|wähle|benachrichtige|gib|klick|klicke",
);
// The polite forms; German writes them capitalized, so this one is case-sensitive.
const SIE = /(?<!\p{L})(?:Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres)(?!\p{L})/u;

/** Texts for the editors (the admin, the moderators' mail): they stay informal whatever the site says to readers. */
const isEditorKey = (key: string) => /^(admin|mailHeld|mailDigest|action|status)/.test(key);

const addressesReader = (text: string) => DU.test(text) || DU_IMPERATIVE.test(text);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const keys = Object.keys(de) as MessageKey[];

describe("the formal German texts", () => {
  it("exist for every text a reader or commenter sees that says du", () => {
    const informal = keys.filter((key) => !isEditorKey(key) && addressesReader(de[key]));
    // The list itself, so a reader can see what the test found.
    expect(informal.length).toBeGreaterThan(30);
    const missing = informal.filter((key) => !Object.hasOwn(deFormal, key));
    expect(missing, "add a formal form to src/i18n/messages-formal.ts").toEqual([]);
  });

  it("override only texts that address the reader, never the editors' own", () => {
    for (const key of Object.keys(deFormal) as MessageKey[]) {
      expect(isEditorKey(key), key).toBe(false);
      expect(addressesReader(de[key]), `${key}: "${de[key]}" says no du, so needs no formal form`).toBe(true);
    }
  });

  it("say Sie, never du, and keep every placeholder", () => {
    for (const [key, text] of Object.entries(deFormal) as [MessageKey, string][]) {
      expect(DU.test(text), `${key}: ${text}`).toBe(false);
      expect(DU_IMPERATIVE.test(text), `${key}: ${text}`).toBe(false);
      expect(SIE.test(text), `${key}: ${text}`).toBe(true);
      expect(placeholders(text), key).toEqual(placeholders(de[key]));
    }
  });

  it("are chosen by language and register: German formal overrides, the rest and English stay", () => {
    const formal = getTranslator("de", "formal");
    const informal = getTranslator("de", "informal");
    expect(formal("emailNote")).toBe("Ihre E-Mail-Adresse wird nicht veröffentlicht.");
    expect(formal("leaveReply")).toBe("Hinterlassen Sie einen Kommentar");
    expect(formal("commentPending")).toBe("Ihr Kommentar wartet auf Freischaltung.");
    expect(formal("errFlood", { seconds: 9 })).toBe("Sie kommentieren zu schnell. Bitte warten Sie 9 Sekunden.");
    expect(informal("emailNote")).toBe("Deine E-Mail-Adresse wird nicht veröffentlicht.");
    expect(informal("leaveReply")).toBe("Hinterlasse eine Antwort");
    // Texts that address nobody are the same in both registers; so is every English text.
    expect(formal("commentsHeading")).toBe(de.commentsHeading);
    for (const key of keys) expect(getTranslator("en", "formal")(key), key).toBe(en[key]);
    // The admin speaks to the editors informally.
    expect(EDITOR_ADDRESS).toBe("informal");
    expect(getTranslator("de", EDITOR_ADDRESS)("adminLoginIntro")).toBe(de.adminLoginIntro);
  });
});
