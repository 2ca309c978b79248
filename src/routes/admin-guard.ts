// Who may reach /admin: optional Cloudflare Access first, then the admin
// token (Bearer for the API, a signed session cookie for the pages), and for
// every state-changing page request a same-origin check and a CSRF token.
import type { Context, MiddlewareHandler } from "hono";
import { getCookie } from "hono/cookie";
import { verifyAccessJwt } from "../admin/access";
import { checkBearer, checkCsrfToken, SESSION_COOKIE, verifySession } from "../admin/session";
import { ConfigError, getAdminSettings } from "../config";
import type { AppEnv } from "../env";
import { readRequestBody } from "../lib/request-body";
import { renderLogin } from "./admin-login";
import { handOutBookmark } from "./db";

/** Admin forms are small; bulk actions list ids. */
export const MAX_ADMIN_BODY_BYTES = 256 * 1024;

function deny(c: Context<AppEnv>, status: 401 | 403 | 503, message: string): Response {
  c.header("Cache-Control", "no-store");
  if (status === 401 && c.req.path.startsWith("/admin/api/")) c.header("WWW-Authenticate", 'Bearer realm="admin"');
  return c.json({ error: message }, status);
}

/** Access (when configured) and the admin token's presence: every /admin route. */
export const guardAdmin: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.header("X-Robots-Tag", "noindex, nofollow");
  let settings: ReturnType<typeof getAdminSettings>;
  try {
    settings = getAdminSettings(c.env);
  } catch (err) {
    // A misconfigured admin closes the admin only; the rest of the site runs on.
    if (err instanceof ConfigError) return deny(c, 503, err.message);
    throw err;
  }
  if (!settings.token) return deny(c, 503, "the admin is closed: set the ADMIN_TOKEN secret (wrangler secret put ADMIN_TOKEN)");
  if (settings.access) {
    let verdict: Awaited<ReturnType<typeof verifyAccessJwt>>;
    try {
      verdict = await verifyAccessJwt(c.req.header("Cf-Access-Jwt-Assertion"), settings.access, Date.now());
    } catch (err) {
      console.error("Access keys could not be fetched", err);
      return deny(c, 503, "Cloudflare Access keys could not be fetched; try again shortly");
    }
    if (!verdict.ok) return deny(c, 403, `Cloudflare Access: ${verdict.reason}`);
  }
  c.set("admin", { ...settings, token: settings.token });
  await next();
  c.header("Cache-Control", "no-store");
  // The editor's next reads (here and on the site) see what they just changed.
  if (c.req.method !== "GET" && c.req.method !== "HEAD") handOutBookmark(c);
};

/** The JSON API: `Authorization: Bearer <ADMIN_TOKEN>`. */
export const requireBearer: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!checkBearer(c.req.header("Authorization"), c.get("admin").token)) return deny(c, 401, "a valid Authorization: Bearer token is required");
  await next();
};

/** The pages: a valid session cookie, or the way to the login form. */
export const requireSession: MiddlewareHandler<AppEnv> = async (c, next) => {
  const session = await verifySession(c.get("admin").token, getCookie(c, SESSION_COOKIE), Date.now());
  if (!session) {
    if (c.req.method === "GET" || c.req.method === "HEAD") return renderLogin(c, false, 401);
    return deny(c, 401, "your admin session has ended: log in again at /admin/login");
  }
  c.set("session", session);
  await next();
};

/** Whether a request comes from a page of this site (Origin, or Sec-Fetch-Site as a fallback). */
export function isSameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("Origin");
  if (origin) return origin === new URL(c.req.url).origin;
  const site = c.req.header("Sec-Fetch-Site");
  return site === "same-origin";
}

/** State-changing page requests: same origin, a form body, and the session's CSRF token. */
export const requireCsrf: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (!isSameOrigin(c)) return deny(c, 403, "cross-site request refused");
  const body = await readRequestBody(c.req.raw, MAX_ADMIN_BODY_BYTES, ["id"]);
  if (!body.ok) return c.json({ error: body.message }, body.status);
  if (!(await checkCsrfToken(c.get("admin").token, c.get("session"), body.fields.csrf)))
    return deny(c, 403, "the form's CSRF token is missing or wrong: reload the page");
  c.set("adminForm", body.fields);
  await next();
};
