// Accepting a reader's comment: validation and the cheap checks, then the
// queue. Nothing here is stored as a comment; the consumer does that.

import { type CommentSettings, RATE_WINDOW_SECONDS } from "../config";
import type { Db } from "../db/client";
import type { Language } from "../db/schema";
import { getClientKey } from "../lib/client-key";
import { sha256Hex } from "../lib/crypto";
import { checkFormToken } from "./form-token";
import { type CommentMessage, type FieldErrors, MAX_USER_AGENT_LENGTH, toQueueBody, validateCommentInput } from "./message";
import { MAX_THREAD_DEPTH } from "./queries";
import {
  deleteSubmission,
  getSubmissionFacts,
  type RecordedSubmission,
  recordSubmission,
  type SubmissionFacts,
  type SubmissionLimits,
} from "./submission-queries";

/** Why a submission was turned away as a whole (not one field). */
export type FormProblem = "honeypot" | "token_missing" | "token_expired" | "too_fast" | "flood" | "rate_limited" | "duplicate" | "closed" | "unavailable";

export type SubmitResult =
  | { kind: "accepted"; id: string; lang: Language /** Whether the commenter gets mail about it (asked, and mail can be sent). */; notify: boolean }
  | { kind: "invalid"; errors: FieldErrors }
  | { kind: "not_found" }
  | { kind: "rejected"; status: 403 | 409 | 422 | 429 | 503; problem: FormProblem; retryAfter?: number };

export interface SubmitDeps {
  db: Db;
  queue: Queue;
  settings: CommentSettings;
  /** Whether commenters can get mail; without it a ticked "notify me" is dropped, as the form does not offer it. */
  commenterMail: boolean;
  now: number;
  newId?: () => string;
}

export interface SubmitRequest {
  slug: string;
  fields: Record<string, unknown>;
  ip: string | null;
  userAgent: string | null;
}

/** The honeypot field: hidden from people, tempting to bots. */
export const HONEYPOT_FIELD = "homepage";
/** Seconds a submitter should wait when D1 or the queue could not take the submission. */
export const UNAVAILABLE_RETRY_SECONDS = 30;

/** D1 or the queue failed: the submitter is asked to try again, and the form keeps their text. */
const UNAVAILABLE = { kind: "rejected", status: 503, problem: "unavailable", retryAfter: UNAVAILABLE_RETRY_SECONDS } as const satisfies SubmitResult;

/** The salted hash flood control, the rate limit and the disallowed list compare: per IPv4 address, per IPv6 /64. */
export function hashClientIp(salt: string, ip: string): Promise<string> {
  return sha256Hex(`${salt}|ip|${getClientKey(ip)}`);
}

/** The salted hash of a commenter's (lower-cased) address, as flood control and the "your data" records keep it. */
export function hashCommenterEmail(salt: string, email: string): Promise<string> {
  return sha256Hex(`${salt}|email|${email}`);
}

function secondsUntil(when: number, now: number): number {
  return Math.max(1, Math.ceil((when - now) / 1000));
}

function limitsAt(settings: CommentSettings, now: number): SubmissionLimits {
  return {
    floodSince: settings.floodSeconds > 0 ? now - settings.floodSeconds * 1000 : null,
    rate: settings.rateLimit > 0 ? { since: now - RATE_WINDOW_SECONDS * 1000, max: settings.rateLimit } : null,
  };
}

/** Why recordSubmission refused: flood control, the rate limit, or else the same comment recorded meanwhile. */
function refusal(settings: CommentSettings, seen: RecordedSubmission, now: number): SubmitResult {
  if (settings.floodSeconds > 0 && seen.lastFromSameSender !== null) {
    const retryAfter = secondsUntil(seen.lastFromSameSender + settings.floodSeconds * 1000, now);
    return { kind: "rejected", status: 429, problem: "flood", retryAfter };
  }
  if (settings.rateLimit > 0 && seen.recentFromIp.count >= settings.rateLimit) {
    const retryAfter = secondsUntil((seen.recentFromIp.oldest ?? now) + RATE_WINDOW_SECONDS * 1000, now);
    return { kind: "rejected", status: 429, problem: "rate_limited", retryAfter };
  }
  return { kind: "rejected", status: 409, problem: "duplicate" };
}

/** Runs every check on a submission and queues it when all pass. */
export async function submitComment(deps: SubmitDeps, req: SubmitRequest): Promise<SubmitResult> {
  const { db, settings, now } = deps;
  const validated = validateCommentInput(req.fields);
  if (!validated.ok) return { kind: "invalid", errors: validated.errors };
  const input = { ...validated.input, notify: validated.input.notify === true && deps.commenterMail };
  const honeypot = req.fields[HONEYPOT_FIELD];
  if (honeypot !== undefined && honeypot !== null && honeypot !== "") return { kind: "rejected", status: 422, problem: "honeypot" };

  const email = input.email.toLowerCase();
  const [ipHash, emailHash, fingerprint] = await Promise.all([
    req.ip ? hashClientIp(settings.ipSalt, req.ip) : Promise.resolve(null),
    hashCommenterEmail(settings.ipSalt, email),
    sha256Hex(`${req.slug}|${input.parentId ?? ""}|${email}|${input.comment}`),
  ]);
  let facts: SubmissionFacts;
  try {
    facts = await getSubmissionFacts(db, {
      slug: req.slug,
      parentId: input.parentId,
      ipHash,
      emailHash,
      fingerprint,
      now,
    });
  } catch (err) {
    console.error("comment submission: D1 could not be read", err);
    return UNAVAILABLE;
  }
  const article = facts.article;
  if (!article) return { kind: "not_found" };
  if (article.comments !== "open") return { kind: "rejected", status: 403, problem: "closed" };

  const token = await checkFormToken(settings.formSecret, req.fields.token, article.id, now, settings.minSeconds);
  if (!token.ok && token.reason === "too_fast") return { kind: "rejected", status: 429, problem: "too_fast", retryAfter: token.retryAfterSeconds };
  if (!token.ok) return { kind: "rejected", status: 422, problem: token.reason === "expired" ? "token_expired" : "token_missing" };
  if (input.parentId) {
    const parent = facts.parent;
    const usable = parent && parent.articleId === article.id && parent.status === "approved" && parent.depth < MAX_THREAD_DEPTH;
    if (!usable) return { kind: "invalid", errors: { parent: { code: "invalid_parent" } } };
  }
  if (facts.duplicate) return { kind: "rejected", status: 409, problem: "duplicate" };

  const id = deps.newId?.() ?? crypto.randomUUID();
  let recorded: RecordedSubmission;
  try {
    // Flood control and the rate limit are checked as the submission is recorded, in one statement.
    recorded = await recordSubmission(db, { id, articleId: article.id, ipHash, emailHash, fingerprint, createdAt: now }, limitsAt(settings, now));
  } catch (err) {
    console.error("comment submission: D1 could not record it", id, err);
    return UNAVAILABLE;
  }
  if (!recorded.recorded) return refusal(settings, recorded, now);
  const message: CommentMessage = {
    v: 1,
    id,
    articleId: article.id,
    lang: article.lang,
    ipHash,
    userAgent: req.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) ?? null,
    submittedAt: now,
    ...input,
  };
  try {
    await deps.queue.send(toQueueBody(message), { contentType: "v8" });
  } catch (err) {
    console.error("comment queue send failed", id, err);
    // Left behind, the record would refuse the same text as a duplicate; the reader is still told to try again.
    await deleteSubmission(db, id).catch((failed: unknown) => console.error("comment submission: D1 could not forget it", id, failed));
    return UNAVAILABLE;
  }
  return { kind: "accepted", id, lang: article.lang, notify: input.notify };
}
