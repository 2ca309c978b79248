// Admin credentials: the ADMIN_TOKEN secret itself (API, Bearer; login form),
// and a server-side session (admin_sessions) that the login form trades it for.
// The cookie names the session and claims its expiry, signed with the token
// (hono/cookie signed cookies), so rotating the token ends every session.
import { constantTimeEqual, signHmac, verifyHmac } from "../lib/crypto";

export const SESSION_COOKIE = "admin_session";
/** The longest a session lives, whatever a cookie claims. */
export const SESSION_TTL_MS = 12 * 3_600_000;

export interface Session {
  id: string;
  expiresAt: number;
}

/** Whether a presented token is the admin token (constant time). */
export function isAdminToken(presented: string, adminToken: string): boolean {
  return constantTimeEqual(presented, adminToken);
}

/** A fresh session: a random id that ends after SESSION_TTL_MS. */
export function newSession(now: number): Session {
  return { id: crypto.randomUUID().replace(/-/g, ""), expiresAt: now + SESSION_TTL_MS };
}

/** The cookie's value before signing: expiry and id. */
export function formatSessionClaim(session: Session): string {
  return `${session.expiresAt.toString(36)}.${session.id}`;
}

/**
 * The session a (correctly signed) cookie claims, or null when it is malformed,
 * expired, or claims to live longer than the server ever grants.
 */
export function parseSessionClaim(value: string | false | undefined, now: number): Session | null {
  const match = /^([0-9a-z]{1,12})\.([0-9a-f]{32})$/.exec(value || "");
  if (!match) return null;
  const expiresAt = parseInt(match[1] ?? "", 36);
  if (!(expiresAt > now) || expiresAt > now + SESSION_TTL_MS) return null;
  return { id: match[2] ?? "", expiresAt };
}

/** The anti-forgery value that every state-changing admin form must send back (second line behind hono/csrf). */
export function csrfTokenFor(adminToken: string, session: Session): Promise<string> {
  return signHmac(adminToken, `csrf|${session.id}`);
}

export async function checkCsrfToken(adminToken: string, session: Session, value: unknown): Promise<boolean> {
  return typeof value === "string" && value !== "" && verifyHmac(adminToken, `csrf|${session.id}`, value);
}
