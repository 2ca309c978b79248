// Env is parsed by one schema per concern, once per env object, and a bad var
// is named with what it must be. The comment pipeline never reads the admin's.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError, getAdminSettings, getCommentSettings, getReaderSettings, getRetentionSettings, getSiteSettings, parseSiteVars } from "../src/config";
import worker from "../src/index";
import { UnavailableError } from "../src/lib/errors";

function thrown(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("did not throw");
}

afterEach(() => vi.restoreAllMocks());

describe("config", () => {
  it("names a malformed comment var and says what it must be", () => {
    const err = thrown(() => getCommentSettings({ ...env, COMMENT_MIN_SECONDS: "drei" }));
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err.variable).toBe("COMMENT_MIN_SECONDS");
    expect(err.message).toBe('wrangler var COMMENT_MIN_SECONDS must be a whole number (0 turns it off), got "drei"');
  });

  it("names a missing secret, a bad language, time zone, URL and moderation mode", () => {
    expect(thrown(() => getCommentSettings({ ...env, FORM_SECRET: "short" })).variable).toBe("FORM_SECRET");
    expect(thrown(() => getCommentSettings({ ...env, COMMENT_MODERATION: "some" })).message).toContain('"all" or "first_time", got "some"');
    expect(thrown(() => parseSiteVars({ ...env, DEFAULT_LANG: "fr" })).message).toBe('wrangler var DEFAULT_LANG must be one of de, en, got "fr"');
    expect(thrown(() => parseSiteVars({ ...env, SITE_TIMEZONE: "Mars/Olympus" })).variable).toBe("SITE_TIMEZONE");
    expect(thrown(() => parseSiteVars({ ...env, SITE_URL: "blog" })).message).toContain('absolute URL, got "blog"');
    expect(thrown(() => parseSiteVars({ ...env, SITE_TITLE: 42 })).message).toBe('wrangler var SITE_TITLE must be a string, got "42"');
    expect(thrown(() => getRetentionSettings({ COMMENT_PURGE_DAYS: "-1" })).variable).toBe("COMMENT_PURGE_DAYS");
  });

  it("takes canonical time zones and their aliases, and refuses names that are none", () => {
    for (const zone of ["UTC", "Etc/UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Asia/Calcutta", "US/Eastern"]) {
      expect(parseSiteVars({ ...env, SITE_TIMEZONE: zone }).timeZone, zone).toBe(zone);
    }
    for (const zone of ["Mars/Olympus", "__proto__", "constructor", "Europe/", "UTC+25"]) {
      expect(thrown(() => parseSiteVars({ ...env, SITE_TIMEZONE: zone })).variable, zone).toBe("SITE_TIMEZONE");
    }
  });

  it("keeps IP hashes IP_HASH_RETENTION_DAYS days, 7 unless set, and refuses 0 and words naming the var", () => {
    expect(getRetentionSettings({}).ipHashDays).toBe(7);
    expect(getRetentionSettings({ IP_HASH_RETENTION_DAYS: "14" }).ipHashDays).toBe(14);
    expect(getRetentionSettings({ IP_HASH_RETENTION_DAYS: " " }).ipHashDays).toBe(7);
    for (const bad of ["0", "-1", "a week", "1.5"]) {
      expect(thrown(() => getRetentionSettings({ IP_HASH_RETENTION_DAYS: bad })).message).toBe(
        `wrangler var IP_HASH_RETENTION_DAYS must be a whole number of days from 1, got "${bad}"`,
      );
    }
  });

  it("reads the retention from COMMENT_EXPIRE_DAYS, and from its old name COMMENT_PURGE_DAYS while that is not set", () => {
    expect(getRetentionSettings({ COMMENT_EXPIRE_DAYS: "7" }).expireDays).toBe(7);
    expect(getRetentionSettings({}).expireDays).toBe(30);
    // A site that set the old name keeps its retention; the new name wins when both are given.
    expect(getRetentionSettings({ COMMENT_PURGE_DAYS: "0" }).expireDays).toBe(0);
    expect(getRetentionSettings({ COMMENT_EXPIRE_DAYS: " ", COMMENT_PURGE_DAYS: "12" }).expireDays).toBe(12);
    expect(getRetentionSettings({ COMMENT_EXPIRE_DAYS: "3", COMMENT_PURGE_DAYS: "12" }).expireDays).toBe(3);
    expect(thrown(() => getRetentionSettings({ COMMENT_EXPIRE_DAYS: "a week" })).message).toBe(
      'wrangler var COMMENT_EXPIRE_DAYS must be a whole number of days (0 keeps everything), got "a week"',
    );
    expect(thrown(() => getRetentionSettings({ COMMENT_PURGE_DAYS: 30 })).variable).toBe("COMMENT_PURGE_DAYS");
  });

  it("reads comment paging and the sitemap size with their defaults, and names a bad value", () => {
    // Sitemap parts of 1,000 URLs by default (a bounded cost per request); up to the protocol's 50,000 when set.
    expect(getReaderSettings({})).toEqual({ commentsPerPage: 50, commentsDefaultPage: "newest", sitemapMaxUrls: 1000 });
    expect(getReaderSettings({ SITEMAP_MAX_URLS: "50000" }).sitemapMaxUrls).toBe(50_000);
    expect(getReaderSettings({ COMMENTS_PER_PAGE: "0", COMMENTS_DEFAULT_PAGE: "oldest", SITEMAP_MAX_URLS: "2" })).toEqual({
      commentsPerPage: 0,
      commentsDefaultPage: "oldest",
      sitemapMaxUrls: 2,
    });
    expect(thrown(() => getReaderSettings({ COMMENTS_PER_PAGE: "-1" })).variable).toBe("COMMENTS_PER_PAGE");
    expect(thrown(() => getReaderSettings({ COMMENTS_DEFAULT_PAGE: "constructor" })).message).toBe(
      'wrangler var COMMENTS_DEFAULT_PAGE must be "newest" or "oldest", got "constructor"',
    );
    for (const bad of ["50001", "1", "viel"]) expect(thrown(() => getReaderSettings({ SITEMAP_MAX_URLS: bad })).variable, bad).toBe("SITEMAP_MAX_URLS");
  });

  it("reads the site vars from a plain record, as the CLI has them", () => {
    const site = parseSiteVars({ SITE_TITLE: " Blog ", SITE_URL: "https://blog.example/", DEFAULT_LANG: "en" });
    expect(site).toEqual({
      title: "Blog",
      description: "",
      url: "https://blog.example",
      defaultLang: "en",
      timeZone: "UTC",
      // German says du unless the site asks for Sie.
      formOfAddress: "informal",
      // The look's settings are off when unset.
      accentColor: null,
      logo: null,
      footerText: null,
      devReloadUrl: null,
    });
  });

  it("reads the form of address, and names a bad one with what it must be", () => {
    expect(parseSiteVars({ ...env, FORM_OF_ADDRESS: " formal " }).formOfAddress).toBe("formal");
    expect(parseSiteVars({ ...env, FORM_OF_ADDRESS: "" }).formOfAddress).toBe("informal");
    for (const bad of ["Sie", "förmlich", "constructor"]) {
      const err = thrown(() => parseSiteVars({ ...env, FORM_OF_ADDRESS: bad }));
      expect(err.variable).toBe("FORM_OF_ADDRESS");
      expect(err.message).toBe(`wrangler var FORM_OF_ADDRESS must be "informal" (du) or "formal" (Sie), got "${bad}"`);
    }
  });

  it("parses each concern once per env object", () => {
    const vars = { ...env };
    expect(getCommentSettings(vars)).toBe(getCommentSettings(vars));
    expect(getSiteSettings(vars)).toBe(getSiteSettings(vars));
    expect(getCommentSettings({ ...env })).not.toBe(getCommentSettings(vars));
  });

  it("keeps the comment pipeline and the clean-up free of admin configuration", () => {
    const broken = { ...env, ADMIN_TOKEN: "short", EDITOR_NAME: "", SITE_URL: env.SITE_URL, MODERATION_WEBHOOK_URL: "https://hooks.example/x" };
    expect(thrown(() => getAdminSettings(broken)).variable).toBe("ADMIN_TOKEN");
    expect(getCommentSettings(broken).webhookUrl).toBe("https://hooks.example/x");
    expect(getRetentionSettings(broken).expireDays).toBe(30);
  });

  it("closes only the admin when ADMIN_TOKEN is shorter than 16 characters", async () => {
    const short = { ...env, ADMIN_TOKEN: "0123456789" };
    const call = async (path: string) => {
      const ctx = createExecutionContext();
      const res = await worker.fetch(new Request(`http://localhost:8787${path}`), short, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const admin = await call("/admin/api/comments");
    expect(admin.status).toBe(503);
    expect(await admin.text()).toContain("ADMIN_TOKEN must be at least 16 characters");
    expect((await call("/")).status).toBe(200);
  });

  it("names a weak ADMIN_TOKEN in the log once, without printing it", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const weak = { ...env, ADMIN_TOKEN: "abcdefghijklmnopqrst" };
    for (let i = 0; i < 3; i++) {
      const ctx = createExecutionContext();
      await worker.fetch(new Request("http://localhost:8787/"), weak, ctx);
      await waitOnExecutionContext(ctx);
    }
    const lines = warn.mock.calls.map((args) => args.join(" ")).filter((l) => l.includes("ADMIN_TOKEN"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("20 characters");
    expect(lines[0]).not.toContain("abcdefghijklmnopqrst");
    warn.mockClear();
    const ctx = createExecutionContext();
    await worker.fetch(new Request("http://localhost:8787/"), { ...env, ADMIN_TOKEN: "x".repeat(40) }, ctx);
    await waitOnExecutionContext(ctx);
    expect(warn.mock.calls.filter((args) => args.join(" ").includes("ADMIN_TOKEN"))).toHaveLength(0);
  });
});
