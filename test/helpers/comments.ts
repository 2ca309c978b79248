import { env } from "cloudflare:test";
import { getDb } from "../../src/db/client";
import { type CommentStatus, comments } from "../../src/db/schema";

/** Inserts a comment row directly (as the queue consumer would have stored it). */
export async function insertComment(articleId: number, status: CommentStatus, text = "Ein Kommentar.", parentId?: string): Promise<string> {
  const id = crypto.randomUUID();
  await getDb(env.DB)
    .insert(comments)
    .values({
      id,
      articleId,
      parentId: parentId ?? null,
      author: "Erika Muster",
      email: "erika@example.com",
      bodyRaw: text,
      bodyHtml: `<p>${text}</p>`,
      status,
      createdAt: Date.now(),
    });
  return id;
}
