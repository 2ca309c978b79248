// Errors become text without drizzle's query and parameters: the function
// itself, and the app's log of an unexpected database error on a real local D1.
import { env } from "cloudflare:test";
import { DrizzleQueryError } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { listStackFrames, MAX_ERROR_TEXT, summarizeError } from "../../src/db/error-text";
import { api } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";

afterEach(() => {
  vi.restoreAllMocks();
});

describe("summarizeError", () => {
  it("keeps the cause of drizzle's failed query and drops the query and its parameters", () => {
    const cause = new Error("D1_ERROR: UNIQUE constraint failed: comments.id: SQLITE_CONSTRAINT");
    const err = new DrizzleQueryError('insert into "comments" values (?, ?)', ["erika@example.com", "geheim"], cause);
    expect(summarizeError(err)).toBe("D1_ERROR: UNIQUE constraint failed: comments.id: SQLITE_CONSTRAINT");
    expect(summarizeError(new Error("outer", { cause: err }))).toBe("outer: D1_ERROR: UNIQUE constraint failed: comments.id: SQLITE_CONSTRAINT");
    expect(summarizeError(new DrizzleQueryError("select ?", ["erika@example.com"]))).toBe("database query failed");
  });

  it("gives an error's call frames without its message, however many lines that has", () => {
    const err = new DrizzleQueryError("update comments set body_raw = ?", ["Zeile eins\n    at keine Funktion"], new Error("D1_ERROR: x"));
    const frames = listStackFrames(err);
    expect(frames).toMatch(/^\s+at /);
    expect(frames).not.toMatch(/Zeile eins|keine Funktion|update comments/);
    expect(listStackFrames("no error")).toBe("");
  });

  it("cuts long texts short, never inside a character", () => {
    expect(summarizeError(new Error("x".repeat(10_000)))).toBe(`${"x".repeat(MAX_ERROR_TEXT - 1)}…`);
    const emoji = summarizeError(`a${"😀".repeat(1_000)}`);
    expect(emoji.length).toBeLessThanOrEqual(MAX_ERROR_TEXT);
    expect(emoji).not.toMatch(/[\ud800-\udbff]…$/);
    expect(summarizeError("kurz")).toBe("kurz");
  });
});

describe("an unexpected database error in a request", () => {
  it("is logged with D1's message and the call frames, not the comment text drizzle's query carried", async () => {
    const { id } = await insertArticle();
    const commentId = await insertComment(id, "pending");
    const marker = `geheim-${crypto.randomUUID()}`;
    const trigger = `refuse_${marker.replace(/-/g, "_")}`;
    await env.DB.prepare(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON comments WHEN NEW.body_raw LIKE '%${marker}%' BEGIN SELECT RAISE(ABORT, 'refused by the test'); END`,
    ).run();
    try {
      const logged = vi.spyOn(console, "error");
      const res = await api(`/comments/${commentId}`, {
        method: "PATCH",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ comment: `Privates ${marker}` }),
      });
      expect(res.status).toBe(500);
      const log = JSON.stringify(logged.mock.calls);
      expect(log).toContain("refused by the test");
      expect(log).toMatch(/\bat /);
      expect(log).not.toContain(marker);
      expect(log).not.toMatch(/Failed query|params:/);
    } finally {
      await env.DB.prepare(`DROP TRIGGER ${trigger}`).run();
    }
  });
});
