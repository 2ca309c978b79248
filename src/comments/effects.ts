// What follows storing a comment: a published comment purges its article's
// cached pages, a held one notifies the moderators, and a commenter who asked
// for mail is asked to confirm their address. All happen at least once: the
// row's effects_done_at is set only after they succeeded, and a redelivered
// message that finds its row without it does them again.

import { purgeCommentPages } from "../cache";
import type { Db } from "../db/client";
import { COMMENT_APPROVED, COMMENT_PENDING, type CommentStatus } from "../db/schema";
import { type ModeratorMailer, mailHeldComment } from "./held-mail";
import type { CommentMessage } from "./message";
import { notifyModerators } from "./notify";
import { setCommentEffectsDone } from "./queries";
import { mailApprovedComments, mailConfirmations, type ReaderMailer } from "./reader-mail";
import type { ModerationReason } from "./rules";

/** What the effects need of the platform: the edge cache and deferred work. */
export type EffectsContext = { cache?: CacheContext; waitUntil(p: Promise<unknown>): void };

export interface EffectsTarget {
  status: CommentStatus;
  reasons: ModerationReason[];
  effectsDone: boolean;
}

/** Does the effects a stored comment still lacks, then records them done; throws (for a retry) when one fails. */
export async function completeCommentEffects(
  db: Db,
  ctx: EffectsContext,
  notice: { webhookUrl: string | null; siteUrl: string; mailer: ModeratorMailer | null; readerMailer: ReaderMailer | null },
  message: CommentMessage,
  stored: EffectsTarget,
  now: number,
): Promise<void> {
  if (stored.effectsDone) return;
  // first_time moderation publishes at once: the article's pages must show it.
  if (stored.status === COMMENT_APPROVED) await purgeCommentPages(ctx, [message.articleId]);
  // A refused commenter's mail is recorded for the cron (reader-mail.ts), never a reason to retry the message.
  if (message.notify && notice.readerMailer) await mailConfirmations(db, notice.readerMailer, [message.id], now);
  if (stored.status === COMMENT_APPROVED && notice.readerMailer) await mailApprovedComments(db, notice.readerMailer, [message.id], now);
  if (stored.status === COMMENT_PENDING && notice.mailer) await mailHeldComment(db, notice.mailer, message, stored.reasons, now);
  if (stored.status === COMMENT_PENDING && notice.webhookUrl) await notifyModerators(notice.webhookUrl, notice.siteUrl, message, stored.reasons);
  await setCommentEffectsDone(db, message.id, now);
}
