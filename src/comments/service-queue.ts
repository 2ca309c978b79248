// The actions on comments that come through the queue: storing the queued
// comments of a batch (what the consumer does with its messages, in a fixed
// number of D1 round trips for the whole batch), and an editor's retry
// or dismissal of a message that could not be stored. Like every action
// (service.ts) each writes, then purges, then mails. The consumer's effects
// happen at least once: the row's effects_done_at is set only after they all
// succeeded, and a failure is thrown for the consumer to retry the message,
// whose redelivery finds the row without it and does them again.
import { purgeCommentPages } from "../cache";
import type { CommentSettings } from "../config";
import type { Db } from "../db/client";
import { summarizeError } from "../db/error-text";
import { COMMENT_APPROVED, COMMENT_PENDING, COMMENT_SPAM, type CommentStatus } from "../db/schema";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { mailHeldComments } from "./held-mail";
import { type CommentMessage, parseCommentMessage } from "./message";
import { getFailedMessage, setFailedMessageResolved } from "./moderation-queries";
import { notifyModerators } from "./notify";
import {
  commentExists,
  getQueuedBatchFacts,
  getStoredCommentState,
  hasApprovedComment,
  insertCommentOnce,
  insertCommentQuery,
  type NewComment,
  setCommentEffectsDone,
} from "./queries";
import { mailApprovedComments, mailConfirmations } from "./reader-mail";
import { parseReasons } from "./reason-text";
import { listDisallowedIps, type ModerationReason, moderateComment } from "./rules";
import { countLinks, renderCommentHtml } from "./sanitize";
import { type CommentPlatform, type ModerationOutcome, purgeThenMail } from "./service";
import { hashClientIp } from "./submit";

/** Failures that no retry can fix: the consumer records the message and acks it. */
export class PermanentFailure extends Error {}
/** The comment is stored; only the purge or a notice after it failed, and a redelivery does them. */
export class EffectsFailure extends Error {}

interface StoredComment {
  /** False for a redelivery: the row existed already. */
  isNew: boolean;
  status: CommentStatus;
  reasons: ModerationReason[];
  /** Whether the purge and notices after storing are recorded as done. */
  effectsDone: boolean;
}

/** The salted hashes of the IPs in the disallowed words: computed once per batch. */
async function disallowedIpHashes(settings: CommentSettings): Promise<Set<string>> {
  const ips = listDisallowedIps(settings.disallowedWords);
  return new Set(await Promise.all(ips.map((ip) => hashClientIp(settings.ipSalt, ip))));
}

/** What the rules need to know of the database about one comment. */
interface CommentFacts {
  ipDisallowed: boolean;
  approvedBefore: boolean;
  parentGone: boolean;
}

/**
 * The rules, the sanitized HTML, and the row to insert. Pure: if it throws, it
 * throws on every retry too. A reply whose parent was deleted while it waited
 * gets stored at the top level, held, with the reason.
 */
function moderatedRow(message: CommentMessage, settings: CommentSettings, facts: CommentFacts, now: number) {
  let bodyHtml: string;
  let verdict: ReturnType<typeof moderateComment>;
  try {
    bodyHtml = renderCommentHtml(message.comment);
    const input = { author: message.author, email: message.email, url: message.url, text: message.comment, linkCount: countLinks(bodyHtml) };
    const { maxLinks, disallowedWords, moderationWords, editor } = settings;
    verdict = moderateComment(input, {
      mode: settings.moderation,
      maxLinks,
      disallowedWords,
      moderationWords,
      editor,
      ipDisallowed: facts.ipDisallowed,
      approvedBefore: facts.approvedBefore,
    });
  } catch (err) {
    throw new PermanentFailure(`could not be processed: ${summarizeError(err)}`);
  }
  const { parentGone } = facts;
  const reasons: ModerationReason[] = parentGone ? [...verdict.reasons, { code: "parent_deleted", parentId: message.parentId ?? "" }] : verdict.reasons;
  const status = parentGone && verdict.status !== COMMENT_SPAM ? COMMENT_PENDING : verdict.status;
  const row: NewComment = {
    id: message.id,
    articleId: message.articleId,
    parentId: parentGone ? null : message.parentId,
    author: message.author,
    email: message.email,
    url: message.url,
    bodyRaw: message.comment,
    bodyHtml,
    status,
    reasons: JSON.stringify(reasons),
    ipHash: message.ipHash,
    userAgent: message.userAgent,
    createdAt: message.submittedAt,
    decidedAt: status === COMMENT_PENDING ? null : now,
    notifyReplies: message.notify === true,
    // Nothing to mail about later: no approval mail wanted, or not a reply.
    approvalMailAt: message.notify ? null : now,
    replyMailAt: message.parentId && !parentGone ? null : now,
  };
  return { row, status, reasons };
}

/** D1's refusal of an insert as the failure it is: permanent when no retry can change it. */
function insertFailure(err: unknown, articleId: number): unknown {
  const reason = summarizeError(err);
  // The article was deleted while the comment waited in the queue.
  if (reason.includes("FOREIGN KEY")) return new PermanentFailure(`article ${articleId} no longer exists`);
  // A row D1 will not take is refused the same way on every retry.
  if (reason.includes("SQLITE_TOOBIG")) return new PermanentFailure(`too large to store: ${reason}`);
  return err;
}

async function storedState(db: Db, message: CommentMessage, fallback: { status: CommentStatus; reasons: ModerationReason[] }): Promise<StoredComment> {
  const existing = await getStoredCommentState(db, message.id);
  return {
    isNew: false,
    status: existing?.status ?? fallback.status,
    reasons: existing ? parseReasons(existing.reasons) : fallback.reasons,
    effectsDone: existing?.effectsDoneAt != null,
  };
}

/** The write of one queued comment on its own: its lookups, then an insert that a redelivery leaves as it is. */
async function insertModeratedComment(db: Db, settings: CommentSettings, message: CommentMessage, now: number): Promise<StoredComment> {
  const approvedBefore = settings.moderation === "first_time" && (await hasApprovedComment(db, message.author, message.email));
  const ipDisallowed = message.ipHash !== null && (await disallowedIpHashes(settings)).has(message.ipHash);
  const parentGone = message.parentId !== null && !(await commentExists(db, message.parentId));
  const { row, status, reasons } = moderatedRow(message, settings, { ipDisallowed, approvedBefore, parentGone }, now);
  let isNew: boolean;
  try {
    isNew = await insertCommentOnce(db, row);
  } catch (err) {
    throw insertFailure(err, message.articleId);
  }
  return isNew ? { isNew, status, reasons, effectsDone: false } : storedState(db, message, { status, reasons });
}

/** Each comment's outcome: stored (new or found), or the error that kept it from being stored. */
type Outcomes<T> = Map<string, { ok: true; value: T } | { ok: false; error: unknown }>;

/**
 * The writes of a queue batch: one round trip of lookups for all its
 * comments, one batch of inserts. When D1 refuses that batch (one comment
 * too large, an article deleted meanwhile, an outage), each row is
 * inserted on its own instead (one query each), so the one that fails fails alone.
 */
async function insertModeratedComments(db: Db, settings: CommentSettings, messages: CommentMessage[], now: number): Promise<Outcomes<StoredComment>> {
  const firstTime = settings.moderation === "first_time";
  const facts = await getQueuedBatchFacts(db, {
    ids: messages.map((m) => m.id),
    articleIds: [...new Set(messages.map((m) => m.articleId))],
    parentIds: [...new Set(messages.flatMap((m) => (m.parentId === null ? [] : [m.parentId])))],
    authors: firstTime ? messages.map((m) => ({ author: m.author, email: m.email })) : [],
  });
  const ipHashes = await disallowedIpHashes(settings);
  const outcomes: Outcomes<StoredComment> = new Map();
  const toInsert: { message: CommentMessage; row: NewComment; status: CommentStatus; reasons: ModerationReason[] }[] = [];
  messages.forEach((message, i) => {
    const stored = facts.stored.get(message.id);
    if (stored) {
      const state = { isNew: false, status: stored.status, reasons: parseReasons(stored.reasons), effectsDone: stored.effectsDoneAt !== null };
      outcomes.set(message.id, { ok: true, value: state });
      return;
    }
    if (!facts.articleIds.has(message.articleId)) {
      outcomes.set(message.id, { ok: false, error: new PermanentFailure(`article ${message.articleId} no longer exists`) });
      return;
    }
    try {
      const ipDisallowed = message.ipHash !== null && ipHashes.has(message.ipHash);
      const parentGone = message.parentId !== null && !facts.parentIds.has(message.parentId);
      toInsert.push({ message, ...moderatedRow(message, settings, { ipDisallowed, approvedBefore: facts.approvedAuthors.has(i), parentGone }, now) });
    } catch (err) {
      outcomes.set(message.id, { ok: false, error: err });
    }
  });
  const [first, ...rest] = toInsert.map((c) => insertCommentQuery(db, c.row));
  if (!first) return outcomes;
  let inserted: { id: string }[][] | null = null;
  try {
    inserted = await db.batch([first, ...rest]);
  } catch {
    // Below, one at a time, each with its own error.
  }
  for (const [i, c] of toInsert.entries()) {
    try {
      let isNew = inserted?.[i]?.length === 1;
      if (!inserted) {
        // The lookups above still hold: the same row, on its own.
        try {
          isNew = await insertCommentOnce(db, c.row);
        } catch (err) {
          throw insertFailure(err, c.message.articleId);
        }
      }
      const value = isNew ? { isNew, status: c.status, reasons: c.reasons, effectsDone: false } : await storedState(db, c.message, c);
      outcomes.set(c.message.id, { ok: true, value });
    } catch (err) {
      outcomes.set(c.message.id, { ok: false, error: err });
    }
  }
  return outcomes;
}

/**
 * What follows storing comments, for those whose effects are not recorded as
 * done: one purge for the approved ones' pages, the commenters' mail of all
 * of them (one list each), the moderators' mail about the held ones, the
 * webhook, and one record of what completed. Returns the comments whose
 * effects failed, with the error (their message is retried; the rest is done).
 */
async function completeCommentEffects(p: CommentPlatform, stored: { message: CommentMessage; stored: StoredComment }[]): Promise<Map<string, unknown>> {
  const failed = new Map<string, unknown>();
  const todo = stored.filter((s) => !s.stored.effectsDone);
  const approved = todo.filter((s) => s.stored.status === COMMENT_APPROVED);
  const held = todo.filter((s) => s.stored.status === COMMENT_PENDING);
  const failAll = (list: typeof todo, err: unknown) => {
    for (const s of list) if (!failed.has(s.message.id)) failed.set(s.message.id, err);
  };
  const n = p.notices;
  // first_time moderation publishes at once: the articles' pages must show it.
  if (approved.length > 0 && p.purge) {
    try {
      const purge = await purgeCommentPages(p.purge, [...new Set(approved.map((s) => s.message.articleId))]);
      if (purge.failedCalls > 0) throw new Error(`${purge.failedCalls} edge purge call(s) refused`);
    } catch (err) {
      failAll(approved, err);
    }
  }
  // A refused mail is recorded for the cron (mail-failures.ts), never a reason to retry the message.
  const readerMail = n?.readerMail;
  if (readerMail) {
    const asked = todo.filter((s) => s.message.notify && !failed.has(s.message.id));
    await mailConfirmations(
      p.db,
      readerMail,
      asked.map((s) => s.message.id),
      p.now,
    ).catch((err) => failAll(asked, err));
    const published = approved.filter((s) => !failed.has(s.message.id));
    await mailApprovedComments(
      p.db,
      readerMail,
      published.map((s) => s.message.id),
      p.now,
    ).catch((err) => failAll(published, err));
  }
  if (n?.moderatorMail) {
    const notices = held.map((s) => ({ message: s.message, reasons: s.stored.reasons }));
    try {
      for (const [id, err] of await mailHeldComments(p.db, n.moderatorMail, notices, p.now)) failed.set(id, err);
    } catch (err) {
      failAll(held, err);
    }
  }
  if (n?.webhook) {
    for (const s of held) {
      if (failed.has(s.message.id)) continue;
      await notifyModerators(n.webhook.url, n.webhook.siteUrl, s.message, s.stored.reasons).catch((err) => failed.set(s.message.id, err));
    }
  }
  const done = todo.filter((s) => !failed.has(s.message.id)).map((s) => s.message.id);
  try {
    await setCommentEffectsDone(p.db, done, p.now);
  } catch (err) {
    failAll(todo, err);
  }
  return failed;
}

/**
 * What the consumer does with the checked messages of a batch: the rules, the
 * sanitized HTML, idempotent inserts, then their effects (purge, mail,
 * webhook), in a fixed number of D1 round trips whatever the batch's size.
 * Each message's outcome: null (stored, effects done), PermanentFailure
 * (record the message), EffectsFailure (stored; retry for the effects) or
 * another error (not stored; retry). A message twice in the batch has the
 * outcome of its first.
 */
export async function storeQueuedComments(p: CommentPlatform, settings: CommentSettings, messages: CommentMessage[]): Promise<Map<string, unknown>> {
  const byId = new Map<string, CommentMessage>();
  for (const m of messages) if (!byId.has(m.id)) byId.set(m.id, m);
  const firsts = [...byId.values()];
  const result = new Map<string, unknown>();
  let inserted: Outcomes<StoredComment>;
  try {
    inserted = await insertModeratedComments(p.db, settings, firsts, p.now);
  } catch (err) {
    for (const m of firsts) result.set(m.id, err);
    return result;
  }
  const stored: { message: CommentMessage; stored: StoredComment }[] = [];
  for (const message of firsts) {
    const outcome = inserted.get(message.id);
    if (outcome?.ok) stored.push({ message, stored: outcome.value });
    else result.set(message.id, outcome ? outcome.error : new Error("not stored"));
  }
  let effects: Map<string, unknown>;
  try {
    effects = await completeCommentEffects(p, stored);
  } catch (err) {
    effects = new Map(stored.map((s) => [s.message.id, err]));
  }
  for (const s of stored) {
    const err = effects.get(s.message.id);
    result.set(s.message.id, err === undefined ? null : new EffectsFailure(summarizeError(err)));
  }
  return result;
}

/** Tries once more to store a recorded failed message, and resolves it when that works. Throws NotFoundError or InvalidInputError. */
export async function retryFailedMessage(p: CommentPlatform, settings: CommentSettings, id: string): Promise<ModerationOutcome> {
  const failed = await getFailedMessage(p.db, id);
  if (!failed) throw new NotFoundError("no failed message with this id");
  let body: unknown;
  try {
    body = JSON.parse(failed.body);
  } catch {
    throw new InvalidInputError({ body: "the recorded body is not JSON" }, "the recorded body is not JSON");
  }
  const parsed = parseCommentMessage(body);
  if (!parsed.ok) throw new InvalidInputError({ body: parsed.error }, `still malformed: ${parsed.error}`);
  const message = parsed.message;
  let stored: StoredComment;
  try {
    stored = await insertModeratedComment(p.db, settings, message, p.now);
  } catch (err) {
    throw new InvalidInputError({ body: "not stored" }, `not stored: ${summarizeError(err)}`);
  }
  // The editor is looking at it: no notice to the moderators.
  await setCommentEffectsDone(p.db, [message.id], p.now);
  await setFailedMessageResolved(p.db, id, p.now);
  const approved = stored.status === COMMENT_APPROVED;
  return purgeThenMail(p, approved ? [{ id: message.id, articleId: message.articleId }] : [], {
    confirm: message.notify ? [message.id] : [],
    approved: approved ? [message.id] : [],
  });
}

/** An editor dealt with a failed message otherwise: it leaves the admin's list. False when there is no open one. */
export function resolveFailedMessage(p: CommentPlatform, id: string): Promise<boolean> {
  return setFailedMessageResolved(p.db, id, p.now);
}
