// The look is the editor's. SITE_ACCENT_COLOR reaches the CSS as a
// hashed stylesheet (no inline style), SITE_LOGO and SITE_FOOTER_TEXT reach the
// header and footer, bad values are ConfigErrors naming the var, and the
// development reload script (DEV_RELOAD_URL) never reaches production pages.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ConfigError, parseSiteVars } from "../../src/config";
import worker from "../../src/index";
import { get, ORIGIN } from "../helpers/http";

async function fetchWith(vars: Record<string, string>, path: string): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

function configError(vars: Record<string, unknown>): ConfigError {
  try {
    parseSiteVars({ ...env, ...vars });
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("no ConfigError");
}

const PRODUCTION_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; media-src 'self'; frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://w.soundcloud.com https://open.spotify.com; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

describe("the site's look as settings", () => {
  it("serves the accent colour as a hashed, immutable stylesheet linked after site.css", async () => {
    const html = await (await fetchWith({ SITE_ACCENT_COLOR: "#0A7" }, "/")).text();
    const href = /<link rel="stylesheet" href="(\/assets\/theme\.[a-z0-9]+\.css)"\/>/.exec(html)?.[1] ?? "";
    expect(html.indexOf(href)).toBeGreaterThan(html.indexOf("/assets/site."));
    const css = await fetchWith({ SITE_ACCENT_COLOR: "#0A7" }, href);
    expect(css.status).toBe(200);
    expect(css.headers.get("Content-Type")).toBe("text/css; charset=utf-8");
    expect(css.headers.get("Cache-Control")).toContain("immutable");
    expect(await css.text()).toBe(":root{--accent:#00aa77;--accent-fg:#111111}\n");
    // A dark accent gets white text on it; another colour has another name.
    const dark = await (await fetchWith({ SITE_ACCENT_COLOR: "#102030" }, "/")).text();
    const darkHref = /href="(\/assets\/theme\.[a-z0-9]+\.css)"/.exec(dark)?.[1] ?? "";
    expect(darkHref).not.toBe(href);
    expect(await (await fetchWith({ SITE_ACCENT_COLOR: "#102030" }, darkHref)).text()).toContain("--accent-fg:#ffffff");
    // The old colour's name is no file any more, and without the setting there is no theme at all.
    expect((await fetchWith({ SITE_ACCENT_COLOR: "#102030" }, href)).status).toBe(404);
    expect(await (await get("/")).text()).not.toContain("/assets/theme.");
    expect((await get(href)).status).toBe(404);
  });

  it("shows the logo with the site title as its alt text, and the footer text escaped", async () => {
    const vars = { SITE_LOGO: "/media/logo.svg", SITE_FOOTER_TEXT: "Agentur <b>Beispiel</b> & Co · Musterstraße 1" };
    const html = await (await fetchWith(vars, "/")).text();
    expect(html).toContain(`<a class="site-title" href="/"><img class="site-logo" src="/media/logo.svg" alt="${env.SITE_TITLE}"/></a>`);
    expect(html).toContain('<p class="site-footer-text">Agentur &lt;b&gt;Beispiel&lt;/b&gt; &amp; Co · Musterstraße 1</p>');
    const plain = await (await get("/")).text();
    expect(plain).not.toContain("site-logo");
    expect(plain).not.toContain("site-footer-text");
  });

  it.each([
    ["SITE_ACCENT_COLOR", "red"],
    ["SITE_ACCENT_COLOR", "#12345"],
    ["SITE_ACCENT_COLOR", "#0a7;}body{display:none"],
    ["SITE_LOGO", "media/logo.svg"],
    ["SITE_LOGO", "https://evil.example/logo.svg"],
    ["SITE_LOGO", "//evil.example/logo.svg"],
    ["SITE_LOGO", "/media/../../secret"],
    ["SITE_LOGO", '/media/"onload="x'],
    ["SITE_FOOTER_TEXT", "x".repeat(501)],
    ["DEV_RELOAD_URL", "https://evil.example/events"],
  ])("refuses %s = %j with a ConfigError naming it", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.variable).toBe(name);
    expect(error.message).toContain(`wrangler var ${name} must`);
  });

  it("accepts the documented forms and a footer of exactly 500 characters", () => {
    const site = parseSiteVars({ ...env, SITE_ACCENT_COLOR: " #00AA77 ", SITE_LOGO: "/media/logo.svg", SITE_FOOTER_TEXT: "x".repeat(500) });
    expect(site).toMatchObject({ accentColor: "#00aa77", logo: "/media/logo.svg", footerText: "x".repeat(500), devReloadUrl: null });
  });
});

describe("the development reload script", () => {
  it("is not on production pages, whose CSP is unchanged", async () => {
    for (const path of ["/", "/nothing-here"]) {
      const res = await get(path);
      expect(await res.text()).not.toContain("dev-reload");
      expect(res.headers.get("Content-Security-Policy")).toBe(PRODUCTION_CSP);
    }
  });

  it("is linked, and its event server allowed to connect, only with DEV_RELOAD_URL", async () => {
    const res = await fetchWith({ DEV_RELOAD_URL: "http://localhost:4567/events" }, "/");
    const html = await res.text();
    const src = /<script src="(\/assets\/dev-reload\.[a-z0-9]+\.js)" data-events="http:\/\/localhost:4567\/events" defer="">/.exec(html)?.[1] ?? "";
    expect(src).not.toBe("");
    expect(res.headers.get("Content-Security-Policy")).toBe(`${PRODUCTION_CSP}; connect-src http://localhost:4567`);
    const script = await fetchWith({ DEV_RELOAD_URL: "http://localhost:4567/events" }, src);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("EventSource");
  });
});
