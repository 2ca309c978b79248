// The optional moderator alert: a small JSON notice per held comment.
import type { CommentMessage } from "./message";
import type { ModerationReason } from "./rules";

const TIMEOUT_MS = 5_000;

/**
 * Posts the notice; throws when it did not arrive, so the consumer retries it
 * (the comment itself is safe in D1 already). Sent until the comment's effects
 * are recorded as done, so at least once and, barring a crash between the
 * post and that record, once.
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
  const res = await fetch(webhookUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(notice),
    signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`moderation webhook answered ${res.status} for comment ${message.id}`);
}
