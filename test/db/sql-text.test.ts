// The one escaper and the one chunker for SQL text, with what they write run
// on the real local D1: the values come back as they went in.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { D1_MAX_STATEMENT_BYTES } from "../../src/db/limits";
import { checkStatementText, chunkList, chunkText, packRows, ROWS_PER_STATEMENT, STATEMENT_BUDGET_BYTES, sqlString, sqlValue } from "../../src/db/sql-text";

const bytes = (text: string) => new TextEncoder().encode(text).length;

describe("sqlString", () => {
  it("doubles single quotes and never writes the text wrangler cuts out of files", () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlString("a BEGIN TRANSACTION; b")).toBe("replace('a BEGIN TRANS\uE000ACTION; b', '\uE000', '')");
    expect(sqlString("\uE000 BEGIN TRANSACTION")).toBe("replace('\uE000 BEGIN TRANS\uE001ACTION', '\uE001', '')");
    // A lone COMMIT; is cut only from text that also holds the phrase: it stays a plain literal.
    expect(sqlString("COMMIT;")).toBe("'COMMIT;'");
  });

  it("refuses NUL, which SQL text cannot carry, and numbers that are no integers", () => {
    expect(() => sqlString("a\0b")).toThrow("NUL");
    expect(() => sqlValue(1.5)).toThrow("not an integer");
    expect(sqlValue(null)).toBe("NULL");
    expect(sqlValue(-7)).toBe("-7");
  });

  it("gives D1 back exactly the text, quotes, transaction words and emoji included", async () => {
    const texts = ["it's", "BEGIN TRANSACTION; x COMMIT; BEGIN TRANSACTION;", "\uE000\uE001 BEGIN TRANSACTION", "🙂 «ä»", "__proto__"];
    for (const text of texts) {
      const row = await env.DB.prepare(`SELECT ${sqlString(text)} AS v`).first<{ v: string }>();
      expect(row?.v).toBe(text);
      expect(checkStatementText(`SELECT ${sqlString(text)};`)).toBeNull();
    }
  });
});

describe("checkStatementText", () => {
  it("names the phrase wrangler cuts and a statement over D1's limit", () => {
    expect(checkStatementText("SELECT 'BEGIN TRANSACTION';")).toContain("BEGIN TRANSACTION");
    expect(checkStatementText(`SELECT '${"x".repeat(D1_MAX_STATEMENT_BYTES)}';`)).toContain("over D1's limit");
    expect(checkStatementText("SELECT 'COMMIT;';")).toBeNull();
  });
});

describe("chunkText", () => {
  it("never splits a surrogate pair, and the pieces join to the text", () => {
    const text = "a🙂".repeat(10);
    for (const units of [2, 3, 4, 7]) {
      const pieces = chunkText(text, units);
      expect(pieces.join("")).toBe(text);
      // Checked as a boolean: a lone surrogate in a failure message would break the test runner's channel.
      expect(pieces.every((piece) => !/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(piece))).toBe(true);
    }
    expect(() => chunkText(text, 1)).toThrow(RangeError);
  });
});

describe("chunkList and packRows", () => {
  it("keeps groups under both limits, in order, an oversized item alone", () => {
    const groups = chunkList([5, 5, 5, 20, 1, 1, 1], { maxItems: 2, maxBytes: 10 }, (n) => n);
    expect(groups).toEqual([[5, 5], [5], [20], [1, 1], [1]]);
  });

  it("keeps every statement under the budget and the row limit, and sets apart a row too big alone", async () => {
    const rows = [...Array.from({ length: 250 }, (_, i) => `(${sqlString(`${i}:${"x".repeat(1_000)}`)})`), `(${sqlString("y".repeat(120_000))})`];
    const { statements, tooBig } = packRows("SELECT count(*) AS n FROM (VALUES", ")", rows);
    expect(tooBig).toEqual([250]);
    expect(statements.length).toBeGreaterThan(2);
    for (const statement of statements) {
      expect(bytes(statement)).toBeLessThanOrEqual(STATEMENT_BUDGET_BYTES);
      expect(statement.match(/\('/g)?.length).toBeLessThanOrEqual(ROWS_PER_STATEMENT);
    }
    const counts = await env.DB.batch<{ n: number }>(statements.map((s) => env.DB.prepare(s)));
    expect(counts.reduce((sum, r) => sum + (r.results[0]?.n ?? 0), 0)).toBe(250);
  });
});
