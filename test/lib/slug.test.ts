// Slugs and old links compare text without the characters a reader cannot see.
import { describe, expect, it } from "vitest";
import { slugify, stripInvisible } from "../../src/lib/slug";
import { normalizeRedirectKey } from "../../src/redirects/normalize";

const INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u00ad", "\u2060", "\ufeff", "\u061c", "\u202a", "\u202c", "\u202e", "\u2066", "\u2069"];

describe("invisible characters in slugs and old URLs", () => {
  it.each(INVISIBLE.map((ch) => [ch.codePointAt(0)?.toString(16), ch]))("drops U+%s from a slug and from a redirect key", (_, ch) => {
    expect(slugify(`Kö${ch}ln`)).toBe("koeln");
    expect(normalizeRedirectKey(`/tag/k%C3%B6${encodeURIComponent(ch)}ln/`)).toBe("/tag/köln");
    expect(normalizeRedirectKey(`/tag/kö${ch}ln/`)).toBe("/tag/köln");
  });

  it("reads no-break spaces as a space, so a hyphen", () => {
    expect(stripInvisible("a\u00a0b\u202fc\u2007d")).toBe("a-b-c-d");
    expect(slugify("Neue\u00a0Website")).toBe("neue-website");
    expect(normalizeRedirectKey("/tag/neue%C2%A0website/")).toBe("/tag/neue-website");
  });

  it("keeps a segment that was only invisible characters out of the key", () => {
    expect(normalizeRedirectKey("/%E2%80%8B/tag/kmu/")).toBe("/tag/kmu");
  });
});
