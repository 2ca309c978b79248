import type { CommentCursor } from "../comments/moderation-queries";

/** Comments per page in the admin and the API. */
export const PAGE_LIMIT = 50;

/** An opaque cursor: where the next page starts. */
export function encodeCursor(row: { createdAt: number; id: string }): string {
  return btoa(`${row.createdAt}.${row.id}`).replace(/=+$/, "");
}

/** The position a cursor names, or null for anything the API did not hand out. */
export function decodeCursor(value: string): CommentCursor | null {
  let text: string;
  try {
    text = atob(value);
  } catch {
    return null;
  }
  const match = /^(\d{1,15})\.([0-9a-f-]{36})$/.exec(text);
  return match ? { createdAt: Number(match[1]), id: match[2] ?? "" } : null;
}
