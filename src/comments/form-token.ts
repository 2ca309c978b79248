// The signed token in the comment form.
import { signHmac, verifyHmac } from "../lib/crypto";

/** How long a served form stays valid. */
const FORM_TOKEN_MAX_AGE_MS = 3 * 24 * 3_600_000;

/** Clocks of different edge machines may disagree a little: a token from "the future" within this is fine. */
const CLOCK_SKEW_MS = 60_000;

/**
 * A token for the form on one article, carrying the exact time it was served
 * (ms), so the minimum wait counts from then and the wait a submitter is told is true.
 */
export async function createFormToken(secret: string, articleId: number, now: number): Promise<string> {
  const payload = `${Math.floor(now).toString(36)}.${articleId.toString(36)}`;
  return `${payload}.${await signHmac(secret, `form|${payload}`)}`;
}

export type FormTokenCheck =
  | { ok: true }
  | { ok: false; reason: "missing" | "invalid" | "expired" }
  | { ok: false; reason: "too_fast"; retryAfterSeconds: number };

/**
 * Whether a token is genuine, for this article, old enough and not too old.
 * The signature and the article always count; minSeconds 0 only drops the wait.
 */
export async function checkFormToken(secret: string, token: unknown, articleId: number, now: number, minSeconds: number): Promise<FormTokenCheck> {
  if (typeof token !== "string" || token === "") return { ok: false, reason: "missing" };
  const parts = token.split(".");
  if (parts.length !== 3) return { ok: false, reason: "invalid" };
  const [issued = "", article = "", signature = ""] = parts;
  if (!(await verifyHmac(secret, `form|${issued}.${article}`, signature))) return { ok: false, reason: "invalid" };
  if (parseInt(article, 36) !== articleId) return { ok: false, reason: "invalid" };
  const age = now - parseInt(issued, 36);
  if (!(age >= -CLOCK_SKEW_MS) || age > FORM_TOKEN_MAX_AGE_MS) return { ok: false, reason: "expired" };
  const wait = minSeconds * 1000 - age;
  if (wait > 0) return { ok: false, reason: "too_fast", retryAfterSeconds: Math.ceil(wait / 1000) };
  return { ok: true };
}

/**
 * The token for a form shown again after a failed submission: the submitted
 * one while it is genuine and unexpired for this article (so the wait does not
 * start over), else a new one.
 */
export async function reuseFormToken(secret: string, submitted: unknown, articleId: number, now: number): Promise<string> {
  const check = await checkFormToken(secret, submitted, articleId, now, 0);
  return check.ok && typeof submitted === "string" ? submitted : createFormToken(secret, articleId, now);
}

/**
 * The submitted token while it is genuine and unexpired, for whichever article
 * it names, else "": for a form shown again when its article cannot be read.
 * Sent again, it is checked against the article as always.
 */
export async function keepGenuineFormToken(secret: string, submitted: unknown, now: number): Promise<string> {
  if (typeof submitted !== "string") return "";
  const articleId = parseInt(submitted.split(".")[1] ?? "", 36);
  if (!Number.isSafeInteger(articleId)) return "";
  return (await checkFormToken(secret, submitted, articleId, now, 0)).ok ? submitted : "";
}

const TOKEN_INPUT = /(<input type="hidden" name="token" value=")[^"]*"/;

/**
 * A page with its form token blanked out, for its ETag: pages that differ only
 * in when their form was served are the same page (a weak ETag), and a browser
 * that revalidates keeps the form, and the time, it was first served.
 * Returns the html unchanged when it holds no form.
 */
export function withoutFormToken(html: string): string {
  return html.replace(TOKEN_INPUT, '$1"');
}
