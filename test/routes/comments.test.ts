import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createFormToken } from "../../src/comments/form-token";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";
import { oldToken, postForm, postJson, uniqueIp, validFields, waitForComment } from "../helpers/post-comment";

describe("POST /articles/:slug/comments with a form", () => {
  it("queues the comment, redirects with 303 to the submitter's own link, and shows it to the submitter alone", async () => {
    const { id, slug } = await insertArticle();
    const fields = validFields({ token: await oldToken(id), comment: "Ganz <b>neuer</b> Gedanke." });
    const res = await postForm(slug, fields);
    expect(res.status).toBe(303);
    const location = res.headers.get("location") ?? "";
    expect(location).toMatch(new RegExp(`^/articles/${slug}\\?unapproved=([0-9a-f-]{36})&moderation-hash=\\d+\\.[\\w-]{43}#comment-\\1$`));
    expect(res.headers.get("set-cookie") ?? "").not.toContain("comment_author=ey");

    const commentId = new URL(location, "https://blog.test").searchParams.get("unapproved") ?? "";
    const row = await waitForComment(commentId);
    const mine = await get(location.replace(/#.*/, ""));
    expect(mine.headers.get("cache-control")).toBe("private, no-store");
    const own = await mine.text();
    expect(own).toContain("Dein Kommentar wartet auf Freischaltung.");
    expect(own).toContain("Ganz <b>neuer</b> Gedanke.");
    const others = await (await get(`/articles/${slug}`)).text();
    expect(others).not.toContain("wartet auf Freischaltung");
    const forged = await (await get(`/articles/${slug}?unapproved=${commentId}&moderation-hash=9999999999.${"A".repeat(43)}`)).text();
    expect(forged).not.toContain("wartet auf Freischaltung");

    expect(row.status).toBe("pending");
    expect(row.body_raw).toBe("Ganz <b>neuer</b> Gedanke.");
    expect(row.body_html).toBe("<p>Ganz <b>neuer</b> Gedanke.</p>");
    expect(row.ip_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(others).not.toContain("neuer</b> Gedanke");
    expect(await (await get(`/articles/${slug}`)).text()).not.toContain("neuer</b> Gedanke");
  });

  it("sets the remember-me cookie only when the box is ticked, for the form's script to read", async () => {
    const { id, slug } = await insertArticle();
    const without = await postForm(slug, validFields({ token: await oldToken(id) }));
    expect(without.headers.get("set-cookie") ?? "").not.toMatch(/comment_author=[^;]/);
    const fields = validFields({ token: await oldToken(id), author: "Max Muster", url: "max.example", remember: "yes" });
    const withCookie = await postForm(slug, fields);
    const cookie = withCookie.headers.getSetCookie().find((c) => c.startsWith("comment_author=")) ?? "";
    expect(cookie).toMatch(/^comment_author=[\w-]+;/);
    expect(cookie).not.toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Lax");
    expect(cookie).toContain("Max-Age=31536000");
    const value = cookie.split(";")[0]?.split("=")[1] ?? "";
    const decoded = JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(value.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0))));
    expect(decoded).toEqual(["Max Muster", fields.email, "max.example"]);
    // The page itself stays the same for everyone; the script fills the form.
    const page = await get(`/articles/${slug}`, { headers: { Cookie: cookie.split(";")[0] ?? "" } });
    expect(page.headers.get("cache-control")).toBe("public, max-age=0, must-revalidate");
    const html = await page.text();
    expect(html).not.toContain("Max Muster");
    const src = /<script src="([^"]+)" defer=""><\/script>/.exec(html)?.[1] ?? "";
    expect(src).toMatch(/^\/assets\/comment-form\.\w+\.js$/);
    const script = await get(src);
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(script.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(await script.text()).toContain("comment_author=");
    expect(page.headers.get("content-security-policy")).toContain("script-src 'self'");
  });

  it("shows the form again with a message at each field and the input kept", async () => {
    const { id, slug } = await insertArticle();
    const res = await postForm(slug, { token: await oldToken(id), author: "", email: "kaputt", url: "ftp://x.example", comment: "Mein Text <i>bleibt</i>" });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(html).toContain('<span class="field-error" id="author-error">Bitte ausfüllen.</span>');
    expect(html).toContain('<span class="field-error" id="email-error">Das ist keine gültige E-Mail-Adresse.</span>');
    expect(html).toContain('id="url-error">Bitte eine Webadresse mit http:// oder https:// angeben.');
    expect(html).toContain('value="kaputt"');
    expect(html).toContain("Mein Text &lt;i&gt;bleibt&lt;/i&gt;</textarea>");
    expect(html).toContain('aria-invalid="true"');
  });

  it("speaks English on an English article", async () => {
    const { id, slug } = await insertArticle({ lang: "en" });
    const page = await (await get(`/articles/${slug}`)).text();
    expect(page).toContain("Leave a Reply");
    expect(page).toContain("Your email address will not be published.");
    const res = await postForm(slug, { token: await oldToken(id), ...validFields({ email: "nope" }) });
    expect(await res.text()).toContain("This is not a valid email address.");
  });
});

describe("POST /articles/:slug/comments with JSON", () => {
  it("answers 202 with the id, the status and the submitter's own link", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id) }));
    expect(res.status).toBe(202);
    const body = await res.json<{ id: string; status: string; location: string; unapproved: string; "moderation-hash": string }>();
    expect(body.status).toBe("pending");
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.unapproved).toBe(body.id);
    expect(body.location).toBe(`/articles/${slug}?unapproved=${body.id}&moderation-hash=${body["moderation-hash"]}#comment-${body.id}`);
    expect(res.headers.get("location")).toBe(body.location);
    expect((await waitForComment(body.id)).status).toBe("pending");
  });

  it.each([
    ["author missing", { author: undefined }, "author", "Please fill in this field."],
    ["author too long", { author: "a".repeat(246) }, "author", "Too long: at most 245 bytes"],
    ["email malformed", { email: "a@b" }, "email", "not a valid email"],
    ["email too long", { email: `${"a".repeat(95)}@x.example` }, "email", "at most 100 bytes"],
    ["url with another scheme", { url: "javascript:alert(1)" }, "url", "http:// or https://"],
    ["url too long", { url: `https://example.com/${"a".repeat(200)}` }, "url", "at most 200 bytes"],
    ["comment empty", { comment: "   " }, "comment", "Please fill in this field."],
    ["comment too long in bytes", { comment: "ä".repeat(32_763) }, "comment", "at most 65525 bytes"],
    ["comment not text", { comment: 42 }, "comment", "Must be text."],
    ["control characters", { author: "a\u0000b" }, "author", "control characters"],
    ["parent not an id", { parent: "123" }, "parent", "does not exist"],
  ])("rejects %s with 422 naming the field", async (_, change, field, message) => {
    const { id, slug } = await insertArticle({ lang: "en" });
    const res = await postJson(slug, { ...validFields({ token: await oldToken(id) }), ...change }, { "Accept-Language": "en" });
    expect(res.status).toBe(422);
    const body = await res.json<{ error: string; fields: Record<string, string> }>();
    expect(Object.keys(body.fields)).toEqual([field]);
    expect(body.fields[field]).toContain(message);
  });

  it("accepts the longest allowed values", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id), author: "a".repeat(245), comment: `${"\n".repeat(10) + "😀".repeat(16_378)}x` }));
    expect(res.status).toBe(202);
    const { id: commentId } = await res.json<{ id: string }>();
    const row = await waitForComment(commentId);
    expect(String(row.body_raw).length).toBe(16_378 * 2 + 1);
  });
});

describe("cheap checks before the queue", () => {
  it("rejects a filled honeypot", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id), homepage: "http://spam.example" }));
    expect(res.status).toBe(422);
    expect((await res.json<{ code: string }>()).code).toBe("honeypot");
  });

  it("rejects a form sent too soon after it was served, with Retry-After", async () => {
    const { id, slug } = await insertArticle();
    const fresh = await createFormToken(env.FORM_SECRET, id, Date.now());
    const res = await postJson(slug, validFields({ token: fresh }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThanOrEqual(3);
    expect((await res.json<{ code: string }>()).code).toBe("too_fast");
  });

  it("rejects a missing, forged or foreign token", async () => {
    const { id, slug } = await insertArticle();
    const other = await insertArticle();
    const tokens = [undefined, "abc", (await oldToken(id)).replace(/.$/, "x"), await oldToken(other.id)];
    for (const token of tokens) {
      const res = await postJson(slug, validFields({ token }));
      expect(res.status, String(token)).toBe(422);
      expect((await res.json<{ code: string }>()).code).toBe("token_missing");
    }
  });

  it("holds back a second comment from the same e-mail or IP within the flood interval", async () => {
    const { id, slug } = await insertArticle();
    const first = validFields({ token: await oldToken(id) });
    expect((await postJson(slug, first)).status).toBe(202);
    const sameEmail = await postJson(slug, { ...validFields({ token: await oldToken(id) }), email: first.email });
    expect(sameEmail.status).toBe(429);
    expect(Number(sameEmail.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await sameEmail.json<{ code: string }>()).code).toBe("flood");
    const ip = uniqueIp();
    expect((await postJson(slug, validFields({ token: await oldToken(id) }), { "CF-Connecting-IP": ip })).status).toBe(202);
    const sameIp = await postJson(slug, validFields({ token: await oldToken(id) }), { "CF-Connecting-IP": ip });
    expect(sameIp.status).toBe(429);
  });

  it("limits comments per IP per ten minutes", async () => {
    const { id, slug } = await insertArticle();
    const ip = uniqueIp();
    const { sha256Hex } = await import("../../src/lib/crypto");
    const ipHash = await sha256Hex(`${env.IP_HASH_SALT}|ip|${ip}`);
    for (let i = 0; i < 10; i++) {
      await env.DB.prepare("INSERT INTO comment_submissions (id, article_id, ip_hash, email_hash, fingerprint, created_at) VALUES (?, ?, ?, ?, ?, ?)")
        .bind(crypto.randomUUID(), id, ipHash, `e${i}${ip}`, `f${i}${ip}${Math.random()}`, Date.now() - 60_000 - i * 1000)
        .run();
    }
    const res = await postJson(slug, validFields({ token: await oldToken(id) }), { "CF-Connecting-IP": ip });
    expect(res.status).toBe(429);
    expect((await res.json<{ code: string }>()).code).toBe("rate_limited");
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(400);
    expect(retryAfter).toBeLessThanOrEqual(540);
  });

  it("answers 409 to the same comment twice", async () => {
    const { id, slug } = await insertArticle();
    const fields = validFields({ token: await oldToken(id) });
    expect((await postJson(slug, fields)).status).toBe(202);
    const again = await postJson(slug, fields);
    expect(again.status).toBe(409);
    expect((await again.json<{ error: string }>()).error).toContain("Doppelter Kommentar");
  });

  it("answers 404 for drafts and unknown articles, 403 when comments are closed", async () => {
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    expect((await postJson(draft.slug, validFields({ token: await oldToken(draft.id) }))).status).toBe(404);
    expect((await postJson("gibt-es-nicht", validFields())).status).toBe(404);
    const closed = await insertArticle({ comments: "closed" });
    const res = await postJson(closed.slug, validFields({ token: await oldToken(closed.id) }));
    expect(res.status).toBe(403);
    const page = await (await get(`/articles/${closed.slug}`)).text();
    expect(page).toContain("Die Kommentare zu diesem Artikel sind geschlossen.");
    // The header has a search form on every page; no comment form here.
    expect(page).not.toContain(`action="/articles/${closed.slug}/comments"`);
  });
});

function tokenIn(html: string): string {
  return /name="token" value="([^"]*)"/.exec(html)?.[1] ?? "";
}

describe("after a failed submission", () => {
  it("opens at the focused error summary beside the form, without JavaScript", async () => {
    const { id, slug } = await insertArticle();
    const res = await postForm(slug, validFields({ token: await oldToken(id), author: "" }));
    expect(res.status).toBe(422);
    const html = await res.text();
    const summary = /<p class="form-error"[^>]*>/.exec(html)?.[0] ?? "";
    expect(summary).toContain('id="comment-form-errors"');
    expect(summary).toContain('tabindex="-1"');
    expect(summary).toMatch(/\sautofocus(="")?[\s>]/);
    // Exactly one autofocus on the page, inside the comment form.
    expect(html.match(/autofocus/g)).toHaveLength(1);
    expect(html.indexOf("comment-form-errors")).toBeGreaterThan(html.indexOf(`action="/articles/${slug}/comments"`));
    const fine = await (await get(`/articles/${slug}`)).text();
    expect(fine).not.toContain("autofocus");
  });

  it("keeps a genuine submitted token in the re-rendered form, and replaces a forged or foreign one", async () => {
    const { id, slug } = await insertArticle();
    const other = await insertArticle();
    const genuine = await oldToken(id, 5 * 60_000);
    expect(tokenIn(await (await postForm(slug, validFields({ token: genuine, email: "kaputt" }))).text())).toBe(genuine);
    for (const bad of ["a.b.c", await oldToken(other.id), ""]) {
      const html = await (await postForm(slug, validFields({ token: bad, email: "kaputt" }))).text();
      expect(tokenIn(html), bad).not.toBe(bad);
      expect(tokenIn(html), bad).not.toBe("");
    }
  });
});

describe("a misconfigured comment var", () => {
  const broken = () => ({ ...env, COMMENT_MIN_SECONDS: "drei" });

  async function call(path: string, init: RequestInit = {}): Promise<Response> {
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`https://blog.test${path}`, { redirect: "manual", ...init }), broken(), ctx);
    await waitOnExecutionContext(ctx);
    return res;
  }

  it("the article says comments are unavailable instead of showing a form", async () => {
    const { slug } = await insertArticle();
    const res = await call(`/articles/${slug}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Kommentieren ist gerade nicht möglich");
    expect(html).not.toContain(`action="/articles/${slug}/comments"`);
  });

  it("a form submission gets 503 with the text kept; JSON gets 503 with a message; never a 500", async () => {
    const { slug } = await insertArticle();
    const text = "Mein langer, sorgfältig geschriebener Kommentar.";
    const form = await call(`/articles/${slug}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ author: "Erika", email: "erika@example.com", comment: text, token: "x" }),
    });
    expect(form.status).toBe(503);
    expect(Number(form.headers.get("retry-after"))).toBeGreaterThan(0);
    const html = await form.text();
    expect(html).toMatch(new RegExp(`<textarea[^>]*>${text}</textarea>`));
    expect(html).toContain("konnte gerade nicht angenommen werden");
    const json = await call(`/articles/${slug}/comments`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ author: "Erika", email: "erika@example.com", comment: text }),
    });
    expect(json.status).toBe(503);
    expect(await json.json()).toMatchObject({ code: "unavailable" });
  });
});
