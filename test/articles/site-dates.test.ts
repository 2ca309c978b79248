import { describe, expect, it } from "vitest";
import { getMonthStart, getZonedMonth, timeZoneOffsetMinutes } from "../../src/articles/site-dates";

describe("timeZoneOffsetMinutes", () => {
  it("reads the zone's offset at an instant, in whole minutes", () => {
    expect(timeZoneOffsetMinutes(Date.parse("2024-01-15T12:00:00Z"), "Europe/Berlin")).toBe(60);
    expect(timeZoneOffsetMinutes(Date.parse("2024-07-15T12:00:00Z"), "Europe/Berlin")).toBe(120);
    expect(timeZoneOffsetMinutes(Date.parse("2024-07-15T12:00:00Z"), "UTC")).toBe(0);
    expect(timeZoneOffsetMinutes(Date.parse("2024-01-15T12:00:00Z"), "America/St_Johns")).toBe(-210);
    expect(timeZoneOffsetMinutes(Date.parse("2024-01-15T12:00:00Z"), "Asia/Kathmandu")).toBe(345);
    // Before standard time Berlin kept its local mean time, 0:53:28 ahead: rounded to the minute.
    expect(timeZoneOffsetMinutes(Date.parse("1890-01-01T12:00:00Z"), "Europe/Berlin")).toBe(53);
  });

  it("switches at the DST change, to the minute", () => {
    const change = Date.parse("2024-03-31T01:00:00Z");
    expect(timeZoneOffsetMinutes(change - 60_000, "Europe/Berlin")).toBe(60);
    expect(timeZoneOffsetMinutes(change, "Europe/Berlin")).toBe(120);
  });
});

describe("month starts in the zone", () => {
  it("is local midnight on the 1st, whatever the offset that month", () => {
    expect(getMonthStart(2024, 4, "Europe/Berlin")).toBe(Date.parse("2024-03-31T22:00:00Z"));
    expect(getMonthStart(2024, 13, "Europe/Berlin")).toBe(Date.parse("2024-12-31T23:00:00Z"));
    expect(getZonedMonth(Date.parse("2024-03-31T22:30:00Z"), "Europe/Berlin")).toEqual({ year: 2024, month: 4 });
    expect(getZonedMonth(Date.parse("2024-03-31T21:30:00Z"), "Europe/Berlin")).toEqual({ year: 2024, month: 3 });
  });
});
