// Admin credentials: the ADMIN_TOKEN secret itself (API, Bearer), and a signed,
// expiring session that the login form trades it for (web pages, cookie).
// Both signatures are keyed by the token, so rotating it ends every session.
import { constantTimeEqual, signHmac, verifyHmac } from "../lib/crypto";

export const SESSION_COOKIE = "admin_session";
export const SESSION_TTL_MS = 12 * 3_600_000;

/** The token from an `Authorization: Bearer …` header, compared in constant time. */
export function checkBearer(header: string | undefined, adminToken: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header ?? "");
  return match?.[1] !== undefined && constantTimeEqual(match[1], adminToken);
}

/** A session value for a cookie: expiry and a random id, signed. */
export async function createSession(adminToken: string, now: number): Promise<string> {
  const id = crypto.randomUUID().replace(/-/g, "");
  const payload = `${(now + SESSION_TTL_MS).toString(36)}.${id}`;
  return `${payload}.${await signHmac(adminToken, `session|${payload}`)}`;
}

export interface Session {
  id: string;
  expiresAt: number;
}

/** The session a cookie value carries, or null when it is forged, malformed or expired. */
export async function verifySession(adminToken: string, value: string | undefined, now: number): Promise<Session | null> {
  const parts = (value ?? "").split(".");
  if (parts.length !== 3) return null;
  const [expires = "", id = "", signature = ""] = parts;
  if (!(await verifyHmac(adminToken, `session|${expires}.${id}`, signature))) return null;
  const expiresAt = parseInt(expires, 36);
  return Number.isFinite(expiresAt) && expiresAt > now ? { id, expiresAt } : null;
}

/** The anti-forgery value that every state-changing admin form must send back. */
export function csrfTokenFor(adminToken: string, session: Session): Promise<string> {
  return signHmac(adminToken, `csrf|${session.id}`);
}

export async function checkCsrfToken(adminToken: string, session: Session, value: unknown): Promise<boolean> {
  return typeof value === "string" && value !== "" && verifyHmac(adminToken, `csrf|${session.id}`, value);
}
