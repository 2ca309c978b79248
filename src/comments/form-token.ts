// Signed values in the comment form and in the redirect after submitting.
import { constantTimeEqual, signHmac, verifyHmac } from "../lib/crypto";

/** How long a served form stays valid. */
export const FORM_TOKEN_MAX_AGE_MS = 3 * 24 * 3_600_000;

/**
 * Tokens name the end of a ten-second window rather than the exact time, so a
 * page stays byte-identical (same ETag, cacheable) within the window; the
 * minimum wait then counts from the window's end, never from before the form was served.
 */
export const FORM_TOKEN_WINDOW_MS = 10_000;

// Every page view in one window carries the same token, so it is signed once.
const recentTokens = new Map<string, string>();

/** A token for the form on one article, carrying (about) the time it was served. */
export async function createFormToken(secret: string, articleId: number, now: number): Promise<string> {
  const issued = (Math.floor(now / FORM_TOKEN_WINDOW_MS) + 1) * FORM_TOKEN_WINDOW_MS;
  const payload = `${issued.toString(36)}.${articleId.toString(36)}`;
  const key = `${secret}|${payload}`;
  let token = recentTokens.get(key);
  if (!token) {
    if (recentTokens.size > 500) recentTokens.clear();
    token = `${payload}.${await signHmac(secret, `form|${payload}`)}`;
    recentTokens.set(key, token);
  }
  return token;
}

export type FormTokenCheck =
  | { ok: true }
  | { ok: false; reason: "missing" | "invalid" | "expired" }
  | { ok: false; reason: "too_fast"; retryAfterSeconds: number };

/** Whether a token is genuine, for this article, old enough and not too old. */
export async function checkFormToken(secret: string, token: unknown, articleId: number, now: number, minSeconds: number): Promise<FormTokenCheck> {
  if (typeof token !== "string" || token === "") return { ok: false, reason: "missing" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid" };
  const [issued = "", article = "", signature = ""] = parts;
  if (!(await verifyHmac(secret, `form|${issued}.${article}`, signature))) return { ok: false, reason: "invalid" };
  if (parseInt(article, 36) !== articleId) return { ok: false, reason: "invalid" };
  const age = now - parseInt(issued, 36);
  if (!(age >= -FORM_TOKEN_WINDOW_MS - 60_000) || age > FORM_TOKEN_MAX_AGE_MS) return { ok: false, reason: "expired" };
  const wait = minSeconds * 1000 - age;
  if (wait > 0) return { ok: false, reason: "too_fast", retryAfterSeconds: Math.ceil(wait / 1000) };
  return { ok: true };
}

/** The query value that shows a submitter the notice for their pending comment. */
export async function signPendingNotice(secret: string, commentId: string): Promise<string> {
  return `${commentId}.${(await signHmac(secret, `pending|${commentId}`)).slice(0, 22)}`;
}

/** The comment id of a genuine pending notice, or null. */
export async function verifyPendingNotice(secret: string, value: string | undefined): Promise<string | null> {
  if (!value) return null;
  const dot = value.indexOf(".");
  if (dot < 1) return null;
  const id = value.slice(0, dot);
  const expected = (await signHmac(secret, `pending|${id}`)).slice(0, 22);
  return constantTimeEqual(expected, value.slice(dot + 1)) ? id : null;
}
