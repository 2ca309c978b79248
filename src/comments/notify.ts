// The optional moderator alert: a small JSON notice per held comment.
import type { CommentMessage } from "./message";
import type { ModerationReason } from "./rules";

const TIMEOUT_MS = 5_000;

/**
 * Posts the notice once. It is sent only for a comment the consumer has just
 * stored for the first time, and never retried, so a moderator gets at most
 * one notice per comment; a failure is logged, the comment is safe in D1.
 */
export async function notifyModerators(webhookUrl: string, siteUrl: string, message: CommentMessage, reasons: ModerationReason[]): Promise<void> {
  const notice = {
    event: "comment.held",
    comment: {
      id: message.id,
      articleId: message.articleId,
      author: message.author,
      excerpt: message.comment.slice(0, 200),
      reasons,
      submittedAt: new Date(message.submittedAt).toISOString(),
    },
    moderateUrl: `${siteUrl}/admin/comments/${message.id}`,
  };
  try {
    const res = await fetch(webhookUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(notice),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!res.ok) console.error("moderation webhook answered", res.status, "for comment", message.id);
    await res.body?.cancel();
  } catch (err) {
    console.error("moderation webhook failed for comment", message.id, err);
  }
}
