// The scheduled jobs by cron schedule (src/jobs.ts), against wrangler.toml's
// triggers, on the real local D1.
import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../src/index";
import { CRON_JOBS, DAILY_CRON, TEN_MINUTE_CRON } from "../src/jobs";
import wranglerToml from "../wrangler.toml?raw";
import { insertArticle } from "./helpers/articles";
import { insertComment } from "./helpers/comments";

/** The crons of wrangler.toml's [triggers] table, as Cloudflare reads them. */
function configuredCrons(): string[] {
  const triggers = /^\[triggers\]\s*\n([\s\S]*?)(?=^\[|(?![\s\S]))/m.exec(wranglerToml)?.[1] ?? "";
  const list = /^crons\s*=\s*\[([^\]]*)\]/m.exec(triggers)?.[1] ?? "";
  return [...list.matchAll(/"([^"]*)"/g)].map((m) => m[1] as string);
}

const run = (cron: string, time = Date.now(), vars: Record<string, unknown> = {}) =>
  worker.scheduled(createScheduledController({ scheduledTime: time, cron }), { ...env, ...vars } as Env, createExecutionContext());

describe("the crons and their jobs", () => {
  it("has jobs for exactly the crons wrangler.toml triggers", () => {
    const crons = configuredCrons();
    expect(crons.length).toBeGreaterThan(0);
    expect([...CRON_JOBS.keys()].sort()).toEqual([...crons].sort());
    for (const jobs of CRON_JOBS.values()) {
      expect(jobs.length).toBeGreaterThan(0);
      const names = jobs.map(([name]) => name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it("names each job of each schedule", () => {
    const names = (cron: string) => (CRON_JOBS.get(cron) ?? []).map(([name]) => name);
    expect(names(DAILY_CRON)).toEqual(["clean-up"]);
    expect(names(TEN_MINUTE_CRON)).toEqual(["held-comment digest", "commenters' mail", "archive counts"]);
  });

  it("fails a run of a schedule it has no jobs for, and runs nothing", async () => {
    const { id } = await insertArticle();
    const spam = await insertComment(id, "spam");
    await env.DB.prepare("UPDATE comments SET decided_at = 1 WHERE id = ?").bind(spam).run();
    await expect(run("5 4 * * *")).rejects.toThrow('no jobs for the cron schedule "5 4 * * *"');
    await expect(run("")).rejects.toThrow("no jobs");
    expect(await env.DB.prepare("SELECT id FROM comments WHERE id = ?").bind(spam).first()).not.toBeNull();
  });

  it("runs the daily clean-up on the daily cron only", async () => {
    const { id } = await insertArticle();
    const spam = await insertComment(id, "spam");
    await env.DB.prepare("UPDATE comments SET decided_at = 1 WHERE id = ?").bind(spam).run();
    await run(TEN_MINUTE_CRON);
    expect(await env.DB.prepare("SELECT id FROM comments WHERE id = ?").bind(spam).first()).not.toBeNull();
    await run(DAILY_CRON);
    expect(await env.DB.prepare("SELECT id FROM comments WHERE id = ?").bind(spam).first()).toBeNull();
  });

  it("runs every job of a schedule when one fails, then fails the run", async () => {
    await insertArticle({ publishedAt: Date.parse("1975-05-05T10:00:00Z") });
    await env.DB.prepare("DELETE FROM archive_counts").run();
    // The moderators' digest fails: D1 refuses its first statement.
    const vars = { EMAIL_FROM: "blog@example.com", MODERATION_EMAIL: "moderators@example.com", DB: failingDigestDb() };
    await expect(run(TEN_MINUTE_CRON, Date.now(), vars)).rejects.toThrow("1 of 3 scheduled jobs failed");
    // The archive's counts were kept all the same.
    expect(await env.DB.prepare("SELECT count(*) AS n FROM archive_counts").first("n")).toBe(1);
  });
});

/** The real D1, except that the digest's first statement (taking the held comments) fails. */
function failingDigestDb(): D1Database {
  return new Proxy(env.DB, {
    get(target, prop) {
      const value = Reflect.get(target, prop, target) as unknown;
      if (prop !== "prepare" || typeof value !== "function") return typeof value === "function" ? value.bind(target) : value;
      return (sql: string) => {
        if (/set "held_digest_run"/i.test(sql)) throw new Error("D1_ERROR: the digest's table is locked");
        return (value as (s: string) => D1PreparedStatement).call(target, sql);
      };
    },
  });
}
