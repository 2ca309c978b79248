import { env } from "cloudflare:test";
import { serializeSigned } from "hono/utils/cookie";
import { formatSessionClaim, SESSION_COOKIE } from "../../src/admin/session";
import { get, ORIGIN } from "./http";

export const ADMIN_TOKEN = "test-admin-token-0123456789abcdef";

/** An IPv6 address in a /64 no other call uses. */
export function freshClientIp(): string {
  const hex = () => Math.floor(Math.random() * 0x10000).toString(16);
  return `2001:db8:${hex()}:${hex()}::${hex()}`;
}

/** Logs in through the form and returns the session cookie ("name=value"). */
export async function login(): Promise<string> {
  const res = await get("/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": freshClientIp() },
    body: new URLSearchParams({ token: ADMIN_TOKEN }),
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status} ${await res.text()}`);
  return (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
}

export function adminGet(path: string, cookie: string, headers: Record<string, string> = {}): Promise<Response> {
  return get(path, { headers: { Cookie: cookie, ...headers } });
}

/** The CSRF token the admin pages put into their forms. */
export async function getCsrf(cookie: string): Promise<string> {
  const html = await (await adminGet("/admin", cookie)).text();
  const token = /name="csrf" value="([^"]+)"/.exec(html)?.[1];
  if (!token) throw new Error("no CSRF token on /admin");
  return token;
}

/** A same-origin form POST from an admin page. */
export function adminPost(path: string, cookie: string, fields: Record<string, string | string[]>, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(name, v);
  return get(path, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie, ...headers }, body });
}

export function api(path: string, init: RequestInit = {}, token = ADMIN_TOKEN): Promise<Response> {
  const headers = new Headers(init.headers);
  if (token) headers.set("Authorization", `Bearer ${token}`);
  // Each call from its own network, so that wrong tokens in one test are not throttled by another's.
  if (!headers.has("CF-Connecting-IP")) headers.set("CF-Connecting-IP", freshClientIp());
  return get(`/admin/api${path}`, { ...init, headers });
}

export async function commentStatus(id: string): Promise<string | null> {
  const row = await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<{ status: string }>();
  return row?.status ?? null;
}

/** A session cookie ("name=value") claiming `expiresAt` for session `id`, signed with `token` as the Worker signs it. */
export async function signSessionCookie(token: string, id: string, expiresAt: number): Promise<string> {
  return (await serializeSigned(SESSION_COOKIE, formatSessionClaim({ id, expiresAt }), token)).split(";")[0] ?? "";
}

/** The session id inside a cookie ("name=value") the Worker issued. */
export function sessionIdOf(cookie: string): string {
  return /\.([0-9a-f]{32})\./.exec(decodeURIComponent(cookie))?.[1] ?? "";
}
