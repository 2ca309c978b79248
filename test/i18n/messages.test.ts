// The UI strings: German speaks to the reader with "du"
// everywhere, as the seed's comment form does.
import { describe, expect, it } from "vitest";
import { de } from "../../src/i18n/messages";

// The polite forms ("Sie", "Ihr", "Ihnen" …) in any position; German writes them capitalized.
const FORMAL = /\b(Sie|Ihnen|Ihr|Ihre|Ihrem|Ihren|Ihrer|Ihres|Euch)\b/;
// Imperatives and verb forms that only the polite register uses.
const FORMAL_VERBS = /\b(versuchen|prüfen|warten|laden|schicken|melden) Sie\b/i;

describe("the German strings", () => {
  it("never address the reader formally", () => {
    const formal = Object.entries(de).filter(([, text]) => FORMAL.test(text) || FORMAL_VERBS.test(text));
    expect(formal).toEqual([]);
  });

  it("ask to try again with du on the error page", () => {
    expect(de.errorText).toBe("Bitte versuch es gleich noch einmal.");
  });

  it("use the accusative for the comment one cannot reply to", () => {
    expect(de.errInvalidParent).toMatch(/^Den Kommentar, auf den du antworten willst, gibt es nicht/);
  });
});
