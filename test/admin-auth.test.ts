import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createSession, SESSION_COOKIE } from "../src/admin/session";
import worker from "../src/index";
import { signAccessJwt, strangerKey } from "./helpers/access-jwt";
import { ADMIN_TOKEN, adminGet, adminPost, api, getCsrf, login } from "./helpers/admin";
import { insertArticle } from "./helpers/articles";
import { insertComment } from "./helpers/comments";
import { get, ORIGIN } from "./helpers/http";

const SECRET_TEXT = "Nur für Moderatoren sichtbar";

async function fixture() {
  const { id } = await insertArticle();
  const commentId = await insertComment(id, "pending", SECRET_TEXT);
  return { commentId };
}

function pageRoutes(commentId: string): [string, string][] {
  return [
    ["GET", "/admin"],
    ["GET", `/admin/comments/${commentId}`],
    ["POST", `/admin/comments/${commentId}/approve`],
    ["POST", "/admin/comments/bulk"],
    ["POST", `/admin/comments/${commentId}/edit`],
    ["POST", `/admin/comments/${commentId}/reply`],
    ["POST", "/admin/failed/x/retry"],
    ["POST", "/admin/logout"],
  ];
}

function apiRoutes(commentId: string): [string, string][] {
  return [
    ["GET", "/comments"],
    ["GET", `/comments/${commentId}`],
    ["PATCH", `/comments/${commentId}`],
    ["DELETE", `/comments/${commentId}`],
    ["GET", "/failed-messages"],
  ];
}

async function expectDenied(res: Response, label: string): Promise<void> {
  expect([401, 403], label).toContain(res.status);
  const text = await res.text();
  expect(text, label).not.toContain(SECRET_TEXT);
  expect(text, label).not.toContain("erika@example.com");
}

describe("the admin refuses anyone without credentials", () => {
  it("pages: no cookie, forged, expired or another token's session", async () => {
    const { commentId } = await fixture();
    const expired = `${SESSION_COOKIE}=${await createSession(ADMIN_TOKEN, Date.now() - 13 * 3_600_000)}`;
    const otherKey = `${SESSION_COOKIE}=${await createSession("another-token-0123456789abcdef", Date.now())}`;
    const valid = await createSession(ADMIN_TOKEN, Date.now());
    const forged = `${SESSION_COOKIE}=${valid.replace(/^[^.]+/, (Date.now() + 99 * 3_600_000).toString(36))}`;
    for (const cookie of ["", expired, otherKey, forged, `${SESSION_COOKIE}=garbage`]) {
      for (const [method, path] of pageRoutes(commentId)) {
        const res = await get(path, {
          method,
          headers: { Cookie: cookie, Origin: ORIGIN, "Content-Type": "application/x-www-form-urlencoded" },
          body: method === "POST" ? `csrf=x&action=approve&id=${commentId}` : null,
        });
        await expectDenied(res, `${method} ${path} with "${cookie.slice(0, 30)}"`);
      }
    }
    expect(await commentStatusAfter(commentId)).toBe("pending");
  });

  it("API: no token, a wrong token, a cookie instead of a token", async () => {
    const { commentId } = await fixture();
    const cookie = await login();
    for (const [method, path] of apiRoutes(commentId)) {
      const init = { method, headers: { "Content-Type": "application/json", Cookie: cookie }, body: method === "PATCH" ? '{"status":"approved"}' : null };
      for (const token of ["", "wrong-token-0123456789abcdef", ADMIN_TOKEN.slice(0, -1)]) {
        const res = await api(path, init, token);
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.headers.get("www-authenticate")).toContain("Bearer");
        await expectDenied(res, `${method} ${path}`);
      }
    }
    expect(await commentStatusAfter(commentId)).toBe("pending");
  });

  it("refuses cross-site POSTs and POSTs without the CSRF token, even with a valid session", async () => {
    const { commentId } = await fixture();
    const cookie = await login();
    const csrf = await getCsrf(cookie);
    const path = `/admin/comments/${commentId}/approve`;
    await expectDenied(await adminPost(path, cookie, { csrf }, { Origin: "https://evil.example" }), "foreign origin");
    await expectDenied(await adminPost(path, cookie, { csrf }, { Origin: "null" }), "null origin");
    await expectDenied(
      await get(path, {
        method: "POST",
        headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded", "Sec-Fetch-Site": "cross-site" },
        body: `csrf=${csrf}`,
      }),
      "no origin, cross-site",
    );
    await expectDenied(await adminPost(path, cookie, {}), "no csrf");
    await expectDenied(await adminPost(path, cookie, { csrf: `${csrf}x` }), "wrong csrf");
    const login2 = await get("/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: `token=${ADMIN_TOKEN}`,
    });
    expect(login2.status).toBe(403);
    expect(login2.headers.get("set-cookie")).toBeNull();
    expect(await commentStatusAfter(commentId)).toBe("pending");
    expect((await adminPost(path, cookie, { csrf })).status).toBe(303);
    expect(await commentStatusAfter(commentId)).toBe("approved");
  });

  it("shows the login form with 401, and a wrong token gets 401 and no cookie", async () => {
    const page = await get("/admin");
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('name="token"');
    const wrong = await get("/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: "token=falsch",
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get("set-cookie")).toBeNull();
    expect(await wrong.text()).toContain("Dieses Token stimmt nicht.");
  });

  it("issues an HttpOnly, SameSite=Strict session cookie for /admin, and logs out", async () => {
    const res = await get("/admin/login", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: `token=${ADMIN_TOKEN}`,
    });
    expect(res.status).toBe(303);
    const cookie = res.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(/^admin_session=[\w.-]+; Max-Age=43200; Path=\/admin; HttpOnly; Secure; SameSite=Strict$/);
    const session = cookie.split(";")[0] ?? "";
    expect((await adminGet("/admin", session)).status).toBe(200);
    const out = await adminPost("/admin/logout", session, { csrf: await getCsrf(session) });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^admin_session=; Max-Age=0/);
  });

  it("marks admin responses uncacheable and not for search engines", async () => {
    const res = await adminGet("/admin", await login());
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-robots-tag")).toBe("noindex, nofollow");
  });
});

async function commentStatusAfter(id: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<{ status: string }>();
  return row?.status;
}

describe("Cloudflare Access in front of the admin", () => {
  const AUD = "test-audience-123";
  const accessEnv = () => ({ ...env, ACCESS_TEAM_DOMAIN: env.TEST_ACCESS_TEAM, ACCESS_AUD: AUD });

  async function call(jwt: string | null, path = "/admin/api/comments"): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${ADMIN_TOKEN}` };
    if (jwt !== null) headers["Cf-Access-Jwt-Assertion"] = jwt;
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { headers }), accessEnv(), ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("lets a valid Access JWT and the token through", async () => {
    const res = await call(await signAccessJwt({ aud: [AUD] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toHaveProperty("comments");
  });

  it("refuses a missing, expired, foreign-audience, foreign-issuer or wrongly signed JWT with 403", async () => {
    await fixture();
    const cases: [string, string | null][] = [
      ["missing", null],
      ["garbage", "not.a.jwt"],
      ["expired", await signAccessJwt({ aud: [AUD], exp: Math.floor(Date.now() / 1000) - 10 })],
      ["wrong audience", await signAccessJwt({ aud: ["someone-else"] })],
      ["wrong issuer", await signAccessJwt({ aud: [AUD], iss: "https://evil.cloudflareaccess.com" })],
      ["wrong signature", await signAccessJwt({ aud: [AUD] }, { key: await strangerKey() })],
      ["unknown key id", await signAccessJwt({ aud: [AUD] }, { kid: "other" })],
      ["alg none", `${btoa('{"alg":"none","kid":"test-key"}')}.${btoa(`{"aud":["${AUD}"]}`)}.x`],
    ];
    for (const [name, jwt] of cases) {
      const res = await call(jwt);
      expect(res.status, name).toBe(403);
      const text = await res.text();
      expect(text, name).not.toContain(SECRET_TEXT);
      expect(text, name).toContain("Cloudflare Access");
    }
    expect((await call(null, "/admin")).status).toBe(403);
  });
});
