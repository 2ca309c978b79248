// `npm run comments` on the local D1 runs the Worker's own moderation service
// on the D1 binding (the CLI opens it through wrangler's platform proxy; here
// it is the test's own), and reads with the CLI's SQL on the same binding.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MODERATION_ACTIONS } from "../../../src/comments/moderation";
import { findIdsSql } from "../../../tools/comments/comments-ids";
import { localBackend } from "../../../tools/comments/comments-local";
import { showCommentSql } from "../../../tools/comments/comments-sql";
import { insertArticle } from "../../helpers/articles";
import { insertComment } from "../../helpers/comments";

const status = (id: string) => env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<string>("status");

describe("npm run comments --local", () => {
  it.each(MODERATION_ACTIONS)("does %s through the service, with no edge cache to purge", async (action) => {
    const { id } = await insertArticle();
    const ids = [await insertComment(id, "pending"), await insertComment(id, "approved"), await insertComment(id, "trash")];
    const expected = { approve: "approved", unapprove: "pending", spam: "spam", trash: "trash", restore: "pending", delete: null }[action];
    const result = await localBackend(env.DB, 1234).moderate(action, ids);
    const initial = ["pending", "approved", "trash"];
    expect(result.changed.length).toBe(initial.filter((s) => s !== expected).length);
    expect(result.tags).toEqual([`c:${id}`, "comments"]);
    expect(result.purge).toBe("none");
    for (const cid of ids) expect(await status(cid)).toBe(expected);
    if (expected !== null) {
      const decided = await env.DB.prepare("SELECT decided_at FROM comments WHERE id = ?").bind(result.changed[0]).first("decided_at");
      expect(decided).toBe(1234);
    }
  });

  it("reads what list, show and short ids need from the same binding", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "pending", "Lokal gelesen");
    const backend = localBackend(env.DB, Date.now());
    expect(await backend.read(findIdsSql([cid.slice(0, 8)]))).toContainEqual({ id: cid });
    expect(await backend.read(showCommentSql(cid))).toEqual([expect.objectContaining({ id: cid, body_raw: "Lokal gelesen", status: "pending" })]);
  });

  it("refuses anything that is not a comment id before it reads", () => {
    expect(() => showCommentSql("1'); DROP TABLE comments; --")).toThrow(/not a comment id/);
  });
});
