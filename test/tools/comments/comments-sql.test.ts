// The terminal moderates through the Worker's own code. With
// --remote the CLI calls the Worker's API (which purges); locally it runs the
// Worker's own statements, printed by drizzle. Both are checked on real D1.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MODERATION_ACTIONS } from "../../../src/comments/moderation";
import { moderateRemotely } from "../../../tools/comments/comments-remote";
import { actionSql } from "../../../tools/comments/comments-sql";
import { insertArticle } from "../../helpers/articles";
import { insertComment } from "../../helpers/comments";
import { ORIGIN } from "../../helpers/http";

const status = (id: string) => env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<string>("status");
const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init)) as typeof fetch;

describe("npm run comments --remote", () => {
  it("moderates through the Worker's API and gets back the tags it purged", async () => {
    const { id } = await insertArticle();
    const a = await insertComment(id, "pending");
    const b = await insertComment(id, "approved");
    const result = await moderateRemotely({ action: "spam", ids: [a, b] }, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher);
    expect(result.changed.sort()).toEqual([a, b].sort());
    expect(result.tags).toEqual([`c:${id}`, "comments"]);
    expect([await status(a), await status(b)]).toEqual(["spam", "spam"]);
  });

  it("is refused without the right token, and with bad input, changing nothing", async () => {
    const { id } = await insertArticle();
    const a = await insertComment(id, "pending");
    await expect(moderateRemotely({ action: "approve", ids: [a] }, { siteUrl: ORIGIN, token: "wrong-token-0123456789" }, fetcher)).rejects.toThrow(/401/);
    const bad = { action: "constructor", ids: [a] } as unknown as Parameters<typeof moderateRemotely>[0];
    await expect(moderateRemotely(bad, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher)).rejects.toThrow(/422.*action/);
    expect(await status(a)).toBe("pending");
  });
});

describe("npm run comments --local", () => {
  it.each(MODERATION_ACTIONS)("runs the Worker's own statement for %s", async (action) => {
    const { id } = await insertArticle();
    const ids = [await insertComment(id, "pending"), await insertComment(id, "approved"), await insertComment(id, "trash")];
    const expected = { approve: "approved", unapprove: "pending", spam: "spam", trash: "trash", restore: "pending", delete: null }[action];
    const { results } = await env.DB.prepare(actionSql(action, ids, 1234)).all<{ id: string }>();
    const initial = ["pending", "approved", "trash"];
    expect(results.length).toBe(initial.filter((s) => s !== expected).length);
    for (const cid of ids) expect(await status(cid)).toBe(expected);
  });

  it("refuses anything that is not a comment id", () => {
    expect(() => actionSql("approve", ["1'); DROP TABLE comments; --"], 1)).toThrow(/not a comment id/);
  });
});
