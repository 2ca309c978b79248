// The commenters' mail queue stays small and cheap: mail that can no longer
// fall due is closed, so the open-mail indexes hold only what may still go
// out, and what a list sent is recorded in one statement. Real local D1.
import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { closeUndeliverableMail } from "../../src/comments/reader-mail-queries";
import { getDb } from "../../src/db/client";
import worker from "../../src/index";
import { TEN_MINUTE_CRON } from "../../src/jobs";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { watchD1 } from "../helpers/d1-watch";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";

const DAY_MS = 86_400_000;

async function set(id: string, columns: Record<string, number | string | null>): Promise<void> {
  const names = Object.keys(columns);
  await env.DB.prepare(`UPDATE comments SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE id = ?`)
    .bind(...Object.values(columns), id)
    .run();
}

const mailColumns = (id: string) =>
  env.DB.prepare("SELECT reply_mail_at AS reply, approval_mail_at AS approval FROM comments WHERE id = ?")
    .bind(id)
    .first<{ reply: number | null; approval: number | null }>();

describe("closeUndeliverableMail", () => {
  it("closes replies and approvals no one can be told of, and leaves what may still go out", async () => {
    const now = Date.now();
    const { id } = await insertArticle();
    const parent = async (columns: Record<string, number | null>) => {
      const p = await insertComment(id, "approved");
      await set(p, { approval_mail_at: now, reply_mail_at: now, ...columns });
      return p;
    };
    const unsubscribed = await parent({ notify_replies: 0 });
    const confirmed = await parent({ notify_replies: 1, notify_confirmed_at: now - DAY_MS, confirm_mail_at: now - 2 * DAY_MS });
    const expired = await parent({ notify_replies: 1, confirm_mail_at: now - 40 * DAY_MS });
    const waiting = await parent({ notify_replies: 1, confirm_mail_at: now - DAY_MS });
    const replies = new Map<string, string>();
    for (const [name, p] of Object.entries({ unsubscribed, confirmed, expired, waiting })) replies.set(name, await insertComment(id, "approved", "Antwort", p));
    await closeUndeliverableMail(getDb(env.DB), now);
    expect((await mailColumns(replies.get("unsubscribed") as string))?.reply).toBe(now);
    expect((await mailColumns(replies.get("expired") as string))?.reply).toBe(now);
    expect((await mailColumns(replies.get("confirmed") as string))?.reply).toBeNull();
    expect((await mailColumns(replies.get("waiting") as string))?.reply).toBeNull();
  });

  it("closes the approval mail of a subscription whose confirmation link expired unconfirmed", async () => {
    const now = Date.now();
    const { id } = await insertArticle();
    const lapsed = await insertComment(id, "pending");
    await set(lapsed, { notify_replies: 1, confirm_mail_at: now - 31 * DAY_MS, approval_mail_at: null });
    const open = await insertComment(id, "pending");
    await set(open, { notify_replies: 1, confirm_mail_at: now - 29 * DAY_MS, approval_mail_at: null });
    const confirmed = await insertComment(id, "pending");
    await set(confirmed, { notify_replies: 1, confirm_mail_at: now - 40 * DAY_MS, notify_confirmed_at: now - 39 * DAY_MS, approval_mail_at: null });
    await closeUndeliverableMail(getDb(env.DB), now);
    expect((await mailColumns(lapsed))?.approval).toBe(now);
    expect((await mailColumns(open))?.approval).toBeNull();
    expect((await mailColumns(confirmed))?.approval).toBeNull();
  });
});

describe("the sweep records what it sent", () => {
  it("in one statement per list, however many mails went out", async () => {
    const now = Date.now();
    const { id } = await insertArticle();
    const due: string[] = [];
    for (let i = 0; i < 5; i++) {
      const c = await insertComment(id, "pending");
      await set(c, { notify_replies: 1, email: `leser${i}@example.com`, approval_mail_at: null });
      due.push(c);
    }
    const watched = watchD1(env.DB);
    const mailer = recordingMailer();
    const vars = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, DB: watched.db } as Env;
    await worker.scheduled(createScheduledController({ scheduledTime: now, cron: TEN_MINUTE_CRON }), vars, createExecutionContext());
    expect(mailer.sent.filter((m) => /^leser\d@example\.com$/.test(String(m.to)))).toHaveLength(5);
    const marks = watched.executions.flatMap((e) => e.statements).filter((s) => /^update "comments" set "confirm_mail_at"/i.test(s.sql));
    expect(marks).toHaveLength(1);
    const { results } = await env.DB.prepare(`SELECT confirm_mail_at AS at FROM comments WHERE id IN (${due.map(() => "?").join(", ")})`)
      .bind(...due)
      .all<{ at: number | null }>();
    expect(results.map((r) => r.at)).toEqual(due.map(() => now));
  });
});
