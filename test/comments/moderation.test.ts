// The moderation actions: everything is checked before anything is written,
// prototype names are just unknown input, and every path returns exactly the
// cache tags to purge.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { CommentTextError, parseModerationAction } from "../../src/comments/moderation";
import { type CommentPlatform, editComment, moderateComments, patchComment, replyAsEditor } from "../../src/comments/service";
import { getDb } from "../../src/db/client";
import { InvalidInputError } from "../../src/lib/errors";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";

// No edge cache and no mail: what is checked here is the write and the tags it names.
const platform = (): CommentPlatform => ({ db: getDb(env.DB), purge: null, notices: null, now: Date.now() });
const editor = { name: "Redaktion", email: "redaktion@example.com" };
const status = (id: string) => env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<string>("status");

describe("moderation actions from untrusted input", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "APPROVE", ""])("refuses %j as an action", (name) => {
    expect(parseModerationAction(name)).toBeNull();
  });

  it("returns what changed and the tags to purge, and nothing for what did not change", async () => {
    const { id } = await insertArticle();
    const a = await insertComment(id, "pending");
    const b = await insertComment(id, "approved");
    const result = await moderateComments(platform(), [a, b, crypto.randomUUID()], "approve");
    expect(result).toEqual({ changed: [a], tags: [`c:${id}`, "comments"], purge: "none" });
    expect(await moderateComments(platform(), [a], "approve")).toEqual({ changed: [], tags: [], purge: "none" });
    expect((await moderateComments(platform(), [a, b], "delete")).changed.sort()).toEqual([a, b].sort());
  });
});

describe("editor text with prototype-named tags", () => {
  it("a reply to a pending comment is published as text, and approves the parent", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "pending");
    const reply = await replyAsEditor(platform(), parent, "<constructor x=1>Danke</constructor>", editor);
    expect(reply.tags).toEqual([`c:${id}`, "comments"]);
    expect(await status(parent)).toBe("approved");
    const row = await env.DB.prepare("SELECT body_html, status FROM comments WHERE id = ?").bind(reply.id).first();
    expect(row).toEqual({ body_html: "<p>&lt;constructor x=1&gt;Danke&lt;/constructor&gt;</p>", status: "approved" });
  });

  it("a reply with invalid text changes nothing: the parent stays pending", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "pending");
    await expect(replyAsEditor(platform(), parent, "a\u0000b", editor)).rejects.toBeInstanceOf(CommentTextError);
    await expect(replyAsEditor(platform(), parent, "", editor)).rejects.toBeInstanceOf(InvalidInputError);
    expect(await status(parent)).toBe("pending");
    const count = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE parent_id = ?").bind(parent).first<number>("n");
    expect(count).toBe(0);
  });

  it("an edit with a prototype-named tag stores it as text", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "approved");
    const result = await editComment(platform(), cid, "<CONSTRUCTOR title=x>neu");
    expect(result.tags).toEqual([`c:${id}`, "comments"]);
    expect(await env.DB.prepare("SELECT body_html FROM comments WHERE id = ?").bind(cid).first("body_html")).toBe("<p>&lt;CONSTRUCTOR title=x&gt;neu</p>");
  });

  it("a PATCH of status and invalid text changes neither", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "pending", "Vorher");
    await expect(patchComment(platform(), cid, { status: "approved", comment: "x\u0001" })).rejects.toBeInstanceOf(CommentTextError);
    expect(await env.DB.prepare("SELECT status, body_raw FROM comments WHERE id = ?").bind(cid).first()).toEqual({ status: "pending", body_raw: "Vorher" });
  });
});
