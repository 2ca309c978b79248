// The archive names every month of the blog's life (684 in 57 years): each
// locale's formatter is made once per isolate, not once per month, since a
// new formatter costs CPU that a page on the Free plan does not have.
import { describe, expect, it } from "vitest";
import { formatMonth } from "../../src/views/archive";

describe("the archive's month names", () => {
  it("names 684 months in two locales with one formatter per locale", () => {
    const Real = Intl.DateTimeFormat;
    let made = 0;
    Intl.DateTimeFormat = new Proxy(Real, {
      construct(target, args: [string?, Intl.DateTimeFormatOptions?]) {
        made += 1;
        return new target(...args);
      },
      apply(target, _this, args: [string?, Intl.DateTimeFormatOptions?]) {
        made += 1;
        return target(...args);
      },
    });
    const names = new Map<string, string[]>();
    try {
      for (const locale of ["de-DE", "en-GB"]) {
        const list: string[] = [];
        for (let i = 0; i < 684; i++) list.push(formatMonth(1970 + Math.floor(i / 12), (i % 12) + 1, locale));
        names.set(locale, list);
      }
    } finally {
      Intl.DateTimeFormat = Real;
    }
    expect(made).toBe(2);
    expect(names.get("de-DE")?.slice(0, 3)).toEqual(["Januar 1970", "Februar 1970", "März 1970"]);
    expect(names.get("en-GB")?.at(-1)).toBe("December 2026");
  });

  it("gives the calendar month, in the locale's words", () => {
    expect(formatMonth(2024, 3, "de-DE")).toBe("März 2024");
    expect(formatMonth(2024, 12, "en-GB")).toBe("December 2024");
  });
});
