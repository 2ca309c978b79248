// Who may reach /admin: optional Cloudflare Access first (hono/jwt), then the
// admin token: Bearer for the API (hono/bearer-auth), a signed session cookie
// (hono/cookie) backed by admin_sessions for the pages. Wrong tokens are
// throttled per client network. State-changing page requests pass hono/csrf
// (Origin / Sec-Fetch-Site) and, as a second line, the session's HMAC token.
import type { Context, MiddlewareHandler } from "hono";
import { bearerAuth } from "hono/bearer-auth";
import { getSignedCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import { verifyAccessJwt } from "../admin/access";
import { checkCsrfToken, isAdminToken, parseSessionClaim, SESSION_COOKIE } from "../admin/session";
import { getLiveSessionExpiry } from "../admin/session-queries";
import { getTokenRetryAfter, releaseTokenCheck, reserveTokenCheck } from "../admin/throttle";
import { setPersonalCaching } from "../cache";
import { getAdminSettings } from "../config";
import type { AppEnv } from "../env";
import { BodyError } from "../lib/body-problem";
import { getClientKey } from "../lib/client-key";
import { readRequestBody } from "../lib/request-body";
import { renderLogin } from "./admin-login";
import { handOutBookmark, writerDb } from "./db";

/** Admin forms are small; bulk actions list ids. */
const MAX_ADMIN_BODY_BYTES = 256 * 1024;

/** Access (when configured) and the admin token's presence: every /admin route. */
export const guardAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header("X-Robots-Tag", "noindex, nofollow");
  setPersonalCaching(c);
  const settings = getAdminSettings(c.env);
  if (!settings.token) throw new HTTPException(503, { message: "the admin is closed: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN)" });
  if (settings.access) {
    // A key server that cannot answer throws UnavailableError: 503, not a refusal.
    const verdict = await verifyAccessJwt(c.req.header("Cf-Access-Jwt-Assertion"), settings.access, Date.now());
    if (!verdict.ok) throw new HTTPException(403, { message: `Cloudflare Access: ${verdict.reason}` });
  }
  c.set("admin", { ...settings, token: settings.token });
  await next();
  // Whatever answered (a 404 page the site would let the edge keep, too), the admin's answers are one person's.
  setPersonalCaching(c);
  // The editor's next reads (here and on the site) see what they just changed. A refused request
  // or a login changed nothing they read (only the throttle's and the sessions' rows): no bookmark.
  if (changedContent(c)) handOutBookmark(c);
};

function changedContent(c: Context<AppEnv>): boolean {
  return c.req.method !== "GET" && c.req.method !== "HEAD" && c.res.status < 400 && c.req.path !== "/admin/login";
}

function clientOf(c: Context<AppEnv>): string {
  return getClientKey(c.req.header("CF-Connecting-IP") ?? "unknown");
}

/**
 * Compares a presented token with ADMIN_TOKEN. The check is counted against the
 * client's network first, so while it has too many recent wrong tokens nothing
 * is compared (429 with Retry-After, the right token too); a right token is not counted.
 */
export async function checkAdminToken(c: Context<AppEnv>, presented: string): Promise<boolean> {
  const db = writerDb(c);
  const client = clientOf(c);
  const now = Date.now();
  const check = await reserveTokenCheck(db, client, now);
  if (check === null) {
    const wait = (await getTokenRetryAfter(db, client, now)) ?? 1;
    c.header("Retry-After", String(wait));
    throw new HTTPException(429, { message: `too many wrong admin tokens from your network: try again in ${wait} seconds` });
  }
  if (!isAdminToken(presented, c.get("admin").token)) return false;
  await releaseTokenCheck(db, check);
  return true;
}

/** The JSON API: `Authorization: Bearer <ADMIN_TOKEN>`, throttled per client network. */
export const requireBearer: MiddlewareHandler<AppEnv> = bearerAuth<AppEnv>({
  realm: "admin",
  verifyToken: (token, c) => checkAdminToken(c, token),
  noAuthenticationHeader: { message: { error: "a valid Authorization: Bearer token is required" } },
  invalidAuthenticationHeader: { message: { error: "the Authorization header must be Bearer <token>" } },
  invalidToken: { message: { error: "a valid Authorization: Bearer token is required" } },
});

/** The pages: a live server-side session named by a correctly signed cookie, or the way to the login form. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const now = Date.now();
  const claim = parseSessionClaim(await getSignedCookie(c, c.get("admin").token, SESSION_COOKIE), now);
  const expiresAt = claim ? await getLiveSessionExpiry(writerDb(c), claim.id, now) : null;
  if (!claim || expiresAt === null) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return renderLogin(c, false, 401);
    throw new HTTPException(401, { message: "your admin session has ended: log in again at /admin/login" });
  }
  c.set("session", { id: claim.id, expiresAt: Math.min(claim.expiresAt, expiresAt) });
  await next();
};

/** State-changing page requests (after hono/csrf): a strictly read form body carrying the session's CSRF token. */
export const requireCsrfToken: MiddlewareHandler<AppEnv> = async (c, next) => {
  const body = await readRequestBody(c.req.raw, MAX_ADMIN_BODY_BYTES, ["id"]);
  if (!body.ok) throw new BodyError(body.problem);
  if (!(await checkCsrfToken(c.get("admin").token, c.get("session"), body.fields.csrf)))
    throw new HTTPException(403, { message: "the form's CSRF token is missing or wrong: reload the page" });
  c.set("adminForm", body.fields);
  await next();
};
