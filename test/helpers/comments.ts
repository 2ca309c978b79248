import { env } from "cloudflare:test";
import type { CommentMessage } from "../../src/comments/message";
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

/** A queue message as the endpoint sends it, for a real batch; `extra` overrides any field. */
export function commentMessage(articleId: number, extra: Partial<CommentMessage> = {}): CommentMessage {
  return {
    v: 1,
    id: crypto.randomUUID(),
    articleId,
    lang: "de",
    ipHash: null,
    userAgent: "test",
    submittedAt: Date.now() - 1000,
    author: "Erika",
    email: `erika.${Math.random().toString(36).slice(2)}@example.com`,
    url: null,
    comment: "Ein Kommentar.",
    parentId: null,
    ...extra,
  };
}
