import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { MAX_TOKEN_FAILURES, TOKEN_FAILURE_WINDOW_MS } from "../../src/admin/throttle";
import worker from "../../src/index";
import { getClientKey } from "../../src/lib/client-key";
import { signAccessJwt, strangerKey } from "../helpers/access-jwt";
import { ADMIN_TOKEN, adminGet, adminPost, api, getCsrf, login, sessionIdOf, signSessionCookie } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get, ORIGIN } from "../helpers/http";

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
    const id = sessionIdOf(await login());
    const expired = await signSessionCookie(ADMIN_TOKEN, id, Date.now() - 1000);
    const otherKey = await signSessionCookie("another-token-0123456789abcdef", id, Date.now() + 3_600_000);
    const valid = await signSessionCookie(ADMIN_TOKEN, id, Date.now() + 3_600_000);
    const forged = valid.replace(/=[^.]+/, `=${(Date.now() + 99 * 3_600_000).toString(36)}`);
    for (const cookie of ["", expired, otherKey, forged, "admin_session=garbage"]) {
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
    expect(cookie).toMatch(/^admin_session=[\w.%-]+; Max-Age=43200; Path=\/admin; HttpOnly; Secure; SameSite=Strict$/);
    const session = cookie.split(";")[0] ?? "";
    expect((await adminGet("/admin", session)).status).toBe(200);
    const out = await adminPost("/admin/logout", session, { csrf: await getCsrf(session) });
    expect(out.status).toBe(303);
    expect(out.headers.get("set-cookie")).toMatch(/^admin_session=; Max-Age=0/);
  });

  it("keeps its 404s private too: no public caching, no cache tags", async () => {
    const cookie = await login();
    for (const path of ["/admin/gibt-es-nicht", `/admin/comments/${crypto.randomUUID()}`, "/admin/api/gibt-es-nicht", "/admin/api/comments/nope"]) {
      const res = path.startsWith("/admin/api/") ? await api(path.slice("/admin/api".length)) : await adminGet(path, cookie);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("cache-control"), path).toBe("private, no-store");
      expect(res.headers.get("cloudflare-cdn-cache-control"), path).toBeNull();
      expect(res.headers.get("cache-tag"), path).toBeNull();
      expect(res.headers.get("x-robots-tag"), path).toBe("noindex, nofollow");
    }
    const anonymous = await get("/admin/gibt-es-nicht/noch-weniger");
    expect(anonymous.headers.get("cache-control")).toBe("private, no-store");
  });

  it("marks admin responses uncacheable and not for search engines", async () => {
    const res = await adminGet("/admin", await login());
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-robots-tag")).toBe("noindex, nofollow");
  });
});

/** Wrong tokens on record for a client network. */
async function failuresOf(client: string): Promise<number> {
  const row = await env.DB.prepare("SELECT count(*) AS n FROM admin_token_failures WHERE client = ?").bind(client).first<{ n: number }>();
  return row?.n ?? 0;
}

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

function loginFrom(ip: string, token: string): Promise<Response> {
  return get("/admin/login", {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": ip },
    body: new URLSearchParams({ token }),
  });
}

describe("guessing the admin token is throttled per client network", () => {
  it("login: after 5 wrong tokens from one IPv6 /64, that /64 waits (429, Retry-After); others do not", async () => {
    const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:7`;
    for (let i = 1; i <= 5; i++) expect((await loginFrom(`${net}::${i}`, `wrong-token-${i}-0123456789abcdef`)).status).toBe(401);
    const blocked = await loginFrom(`${net}:0:0:0:99`, "wrong-token-6-0123456789abcdef");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(blocked.headers.get("content-type")).toContain("text/html");
    // Even the right token waits from there: a guess that happens to be right must not be told so.
    const right = await loginFrom(`${net}::abcd`, ADMIN_TOKEN);
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();
    // Everybody else: the right token works, a wrong one is a plain 401.
    expect((await loginFrom("2001:db8:ffff:1::1", ADMIN_TOKEN)).status).toBe(303);
    expect((await loginFrom("192.0.2.10", "wrong-token-0123456789abcdef")).status).toBe(401);
  });

  it("API: counts wrong Bearer tokens per IPv4 address, never right ones", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;
    for (let i = 0; i < 10; i++) expect((await api("/comments", { headers: { "CF-Connecting-IP": ip } })).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await api("/comments", { headers: { "CF-Connecting-IP": ip } }, `wrong-${i}-0123456789abcdef`)).status).toBe(401);
    const blocked = await api("/comments", { headers: { "CF-Connecting-IP": ip } }, "wrong-x-0123456789abcdef");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await blocked.json()).toHaveProperty("error");
    expect((await api("/comments", { headers: { "CF-Connecting-IP": ip } })).status).toBe(429);
    expect((await api("/comments", { headers: { "CF-Connecting-IP": "192.0.2.251" } })).status).toBe(200);
  });

  it("counts a guess before comparing it: of 50 concurrent wrong tokens at most 5 are compared, a right one waits until the lock ends", async () => {
    const net = `2001:db8:${Math.floor(Math.random() * 0xffff).toString(16)}:8`;
    const client = getClientKey(`${net}::1`);
    const answers = await Promise.all(Array.from({ length: 50 }, (_, i) => loginFrom(`${net}::${i + 1}`, `wrong-token-${i}-0123456789abcdef`)));
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    for (const res of answers.filter((r) => r.status === 429)) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await failuresOf(client)).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    const right = await loginFrom(`${net}::abcd`, ADMIN_TOKEN);
    expect(right.status).toBe(429);
    expect(right.headers.get("set-cookie")).toBeNull();
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
    // The window passes (its rows age by the window's length): the right token opens the admin again.
    await env.DB.prepare("UPDATE admin_token_failures SET failed_at = failed_at - ? WHERE client = ?").bind(TOKEN_FAILURE_WINDOW_MS, client).run();
    expect((await loginFrom(`${net}::abcd`, ADMIN_TOKEN)).status).toBe(303);
  });

  it("API: 50 concurrent wrong Bearer tokens from one address, at most 5 compared; the right one then waits", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api("/comments", { headers: { "CF-Connecting-IP": ip } }, `wrong-${i}-0123456789abcdef`)),
    );
    const statuses = answers.map((res) => res.status);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    for (const res of answers.filter((r) => r.status === 429)) expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await failuresOf(ip)).toBeLessThanOrEqual(MAX_TOKEN_FAILURES);
    const right = await api("/comments", { headers: { "CF-Connecting-IP": ip } });
    expect(right.status).toBe(429);
    expect(await right.json()).toHaveProperty("error");
  });

  it("a right token is not counted, also when several are checked at once", async () => {
    const ip = `192.0.2.${Math.floor(Math.random() * 200) + 20}`;
    const answers = await Promise.all(Array.from({ length: MAX_TOKEN_FAILURES }, () => api("/comments", { headers: { "CF-Connecting-IP": ip } })));
    expect(answers.map((res) => res.status)).toEqual(Array(MAX_TOKEN_FAILURES).fill(200));
    expect(await failuresOf(ip)).toBe(0);
  });
});

describe("sessions end on the server", () => {
  it("logout ends that session: the old cookie no longer opens /admin", async () => {
    const cookie = await login();
    const other = await login();
    expect((await adminPost("/admin/logout", cookie, { csrf: await getCsrf(cookie) })).status).toBe(303);
    const after = await adminGet("/admin", cookie);
    expect(after.status).toBe(401);
    expect(await after.text()).toContain('name="token"');
    expect((await adminGet("/admin", other)).status).toBe(200);
  });

  it("log out everywhere ends every session", async () => {
    const first = await login();
    const second = await login();
    const res = await adminPost("/admin/logout-all", first, { csrf: await getCsrf(first) });
    expect(res.status).toBe(303);
    expect(res.headers.get("set-cookie")).toMatch(/^admin_session=; Max-Age=0/);
    expect((await adminGet("/admin", first)).status).toBe(401);
    expect((await adminGet("/admin", second)).status).toBe(401);
    expect((await adminGet("/admin", await login())).status).toBe(200);
  });

  it("caps a correctly signed cookie's lifetime at the server's maximum", async () => {
    const id = sessionIdOf(await login());
    const thousandDays = await signSessionCookie(ADMIN_TOKEN, id, Date.now() + 1000 * 86_400_000);
    expect((await adminGet("/admin", thousandDays)).status).toBe(401);
    const justPast = await signSessionCookie(ADMIN_TOKEN, id, Date.now() + 12 * 3_600_000 + 60_000);
    expect((await adminGet("/admin", justPast)).status).toBe(401);
    // A signed cookie for a session the server never started opens nothing either.
    const unknown = await signSessionCookie(ADMIN_TOKEN, crypto.randomUUID().replace(/-/g, ""), Date.now() + 3_600_000);
    expect((await adminGet("/admin", unknown)).status).toBe(401);
    expect((await adminGet("/admin", await signSessionCookie(ADMIN_TOKEN, id, Date.now() + 3_600_000))).status).toBe(200);
  });
});

describe("admin input is checked before acting", () => {
  it("refuses a control character or backslash in ?return= with 400, leaving the comment unchanged", async () => {
    const { commentId } = await fixture();
    const cookie = await login();
    const csrf = await getCsrf(cookie);
    for (const bad of ["%00", "%0d%0aSet-Cookie:x=1", "%7f", "%1b", "%5c%5cevil.example"]) {
      for (const path of [`/admin/comments/${commentId}/approve`, "/admin/comments/bulk"]) {
        const res = await adminPost(`${path}?return=/admin${bad}`, cookie, { csrf, action: "approve", id: commentId });
        expect(res.status, `${path} ${bad}`).toBe(400);
        expect(res.headers.get("content-type")).toContain("text/html");
        expect(await res.text()).toContain("return");
      }
    }
    expect(await commentStatusAfter(commentId)).toBe("pending");
  });

  it("answers every error on an admin form post with an HTML page", async () => {
    const { commentId } = await fixture();
    const cookie = await login();
    const csrf = await getCsrf(cookie);
    const path = `/admin/comments/${commentId}/approve`;
    // The admin speaks the browser's language: German here, by default.
    const cases: [string, number, RequestInit, string][] = [
      ["415", 415, { headers: { "Content-Type": "text/csv" }, body: `csrf=${csrf}` }, "Sende ein Formular"],
      ["413", 413, { body: `csrf=${csrf}&x=${"a".repeat(256 * 1024)}` }, "Das Gesendete ist größer als 256 KB."],
      ["400 UTF-8", 400, { body: `csrf=${csrf}&x=%FF` }, "Das Feld „x“ ist nicht gültig kodiert"],
      ["400 repeated", 400, { body: `csrf=${csrf}&csrf=${csrf}` }, "Das Feld „csrf“ wurde mehr als einmal gesendet."],
      ["403 csrf", 403, { body: "csrf=wrong" }, "CSRF"],
    ];
    for (const [name, status, init, text] of cases) {
      const headers = { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, Cookie: cookie, ...(init.headers as Record<string, string>) };
      const res = await get(path, { method: "POST", ...init, headers });
      expect(res.status, name).toBe(status);
      expect(res.headers.get("content-type"), name).toContain("text/html");
      expect(await res.text(), name).toContain(text);
    }
    const invalid = await adminPost("/admin/comments/bulk", cookie, { csrf, action: "launch" });
    expect(invalid.status).toBe(422);
    expect(invalid.headers.get("content-type")).toContain("text/html");
    expect(await invalid.text()).toContain("action");
    const missing = await adminPost(`/admin/comments/${crypto.randomUUID()}/approve`, cookie, { csrf });
    expect(missing.status).toBe(404);
    expect(missing.headers.get("content-type")).toContain("text/html");
    expect(await commentStatusAfter(commentId)).toBe("pending");
  });

  it("answers other methods on admin paths with 405 and Allow: a page, or JSON under /admin/api", async () => {
    const { commentId } = await fixture();
    const cookie = await login();
    for (const [method, path] of [
      ["PUT", "/admin"],
      ["DELETE", `/admin/comments/${commentId}`],
      ["PATCH", "/admin/login"],
    ] as const) {
      const res = await get(path, { method, headers: { Cookie: cookie, Origin: ORIGIN } });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), path).toMatch(/^GET, HEAD/);
      expect(res.headers.get("content-type")).toContain("text/html");
    }
    expect((await get("/admin/logout-all", { headers: { Cookie: cookie } })).headers.get("allow")).toBe("POST");
    const apiRes = await api(`/comments/${commentId}`, { method: "POST" });
    expect(apiRes.status).toBe(405);
    expect(apiRes.headers.get("allow")?.split(", ").sort()).toEqual(["DELETE", "GET", "HEAD", "PATCH"]);
    expect(await apiRes.json()).toHaveProperty("error");
    expect(await commentStatusAfter(commentId)).toBe("pending");
  });
});

describe("Cloudflare Access key server down", () => {
  it("answers 503 (try again), not 403 or 500", async () => {
    const ctx = createExecutionContext();
    const downEnv = { ...env, ACCESS_TEAM_DOMAIN: "https://down-team.cloudflareaccess.com", ACCESS_AUD: "aud" };
    const res = await worker.fetch(
      new Request(`${ORIGIN}/admin/api/comments`, { headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, "Cf-Access-Jwt-Assertion": "a.b.c" } }),
      downEnv,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
