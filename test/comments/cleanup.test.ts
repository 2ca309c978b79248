// The daily clean-up deletes in chunks and says how many went: a backlog of any
// size costs each run at most its statements, and the next run goes on.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expireOldRecords } from "../../src/comments/cleanup";
import { EXPIRE_CHUNK } from "../../src/comments/moderation-queries";
import { getDb } from "../../src/db/client";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { watchD1 } from "../helpers/d1-watch";

/** `n` spam comments on one article, decided at `decidedAt`. */
async function insertSpam(articleId: number, n: number, decidedAt: number): Promise<void> {
  const statements = Array.from({ length: n }, () =>
    env.DB.prepare(
      "INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at, decided_at) VALUES (?, ?, 'Spam', 'spam@example.com', 'x', '<p>x</p>', 'spam', ?, ?)",
    ).bind(crypto.randomUUID(), articleId, decidedAt - 1000, decidedAt),
  );
  for (let i = 0; i < statements.length; i += 500) await env.DB.batch(statements.slice(i, i + 500));
}

const spamOf = (articleId: number) => env.DB.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ?").bind(articleId).first<number>("n");

describe("the clean-up", () => {
  it(`deletes a backlog in chunks of ${EXPIRE_CHUNK}, at most the statements it may send, and the next run goes on`, async () => {
    const { id } = await insertArticle();
    const before = Date.now() - 40 * 86_400_000;
    await insertSpam(id, 2 * EXPIRE_CHUNK + 300, before - 1);
    const kept = await insertComment(id, "approved");
    const watched = watchD1(env.DB);
    const db = getDb(watched.db);
    // One statement each for IP hashes, flood records and link requests (nothing that old), two for the spam.
    const first = await expireOldRecords(db, { before, clientDataBefore: 0, linkRequestsBefore: 0 }, 5);
    expect(first).toMatchObject({ comments: 2 * EXPIRE_CHUNK, clientData: 0, more: true });
    // Five statements; none returns the ids it changed.
    expect(watched.executions).toHaveLength(5);
    for (const e of watched.executions) expect(e.sql).not.toMatch(/returning/i);
    expect(await spamOf(id)).toBe(301);
    const second = await expireOldRecords(db, { before, clientDataBefore: 0, linkRequestsBefore: 0 }, 30);
    expect(second).toMatchObject({ comments: 300, more: false });
    expect(await spamOf(id)).toBe(1);
    expect(await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(kept).first("status")).toBe("approved");
  });

  it("keeps spam and trash decided after the cut-off, and everything when told to keep it", async () => {
    const { id } = await insertArticle();
    const cut = Date.now() - 30 * 86_400_000;
    await insertSpam(id, 3, cut + 60_000);
    expect(await expireOldRecords(getDb(env.DB), { before: cut, clientDataBefore: 0, linkRequestsBefore: 0 })).toMatchObject({ more: false });
    expect(await spamOf(id)).toBe(3);
    await insertSpam(id, 2, cut - 60_000);
    expect((await expireOldRecords(getDb(env.DB), { before: null, clientDataBefore: 0, linkRequestsBefore: 0 })).comments).toBe(0);
    expect(await spamOf(id)).toBe(5);
  });
});
