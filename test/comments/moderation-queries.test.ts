// The desk's counts per status are kept by triggers (migrations/0023): they
// stay equal to counting the comments, whatever writes them.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countCommentsByStatus } from "../../src/comments/moderation-queries";
import { getDb } from "../../src/db/client";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";

async function counted(): Promise<Record<string, number>> {
  const { results } = await env.DB.prepare("SELECT status, count(*) AS n FROM comments GROUP BY status").all<{ status: string; n: number }>();
  const counts: Record<string, number> = { pending: 0, approved: 0, spam: 0, trash: 0 };
  for (const r of results) counts[r.status] = r.n;
  return counts;
}

describe("countCommentsByStatus", () => {
  it("equals counting the comments after inserts, status changes, deletes and an article's deletion", async () => {
    const db = getDb(env.DB);
    const { id } = await insertArticle();
    const ids = [await insertComment(id, "pending"), await insertComment(id, "pending"), await insertComment(id, "approved")];
    expect(await countCommentsByStatus(db)).toEqual(await counted());
    await env.DB.prepare("UPDATE comments SET status = 'spam' WHERE id = ?").bind(ids[0]).run();
    // A write that leaves the status as it is changes no count.
    await env.DB.prepare("UPDATE comments SET status = 'approved', body_raw = 'neu' WHERE id = ?").bind(ids[2]).run();
    expect(await countCommentsByStatus(db)).toEqual(await counted());
    await env.DB.prepare("DELETE FROM comments WHERE id = ?").bind(ids[1]).run();
    expect(await countCommentsByStatus(db)).toEqual(await counted());
    // Deleting the article deletes its comments (ON DELETE CASCADE): the counts follow.
    await env.DB.prepare("DELETE FROM articles WHERE id = ?").bind(id).run();
    expect(await countCommentsByStatus(db)).toEqual(await counted());
  });
});
