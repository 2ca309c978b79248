// "Notify me" is offered only where mail can be sent (EMAIL_FROM set and the
// EMAIL binding there): otherwise the form has no such box and the server
// drops a ticked one, form or JSON, so nobody is promised a confirmation mail
// that never comes. Where it is offered, its label says that mail comes first.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { ORIGIN } from "../helpers/http";
import { MAIL_VARS, recordingMailer } from "../helpers/mail";
import { oldToken, uniqueIp, validFields, waitForComment } from "../helpers/post-comment";

const NOTIFY_LABEL = "Benachrichtige mich per Mail, wenn mein Kommentar freigegeben ist und wenn jemand antwortet.";
const CONFIRM_FIRST = "Du bekommst zuerst eine Mail, mit der du das bestätigst.";

/** The Worker with these vars and bindings (a var the test leaves out is wrangler.toml's). */
function blog(vars: Record<string, unknown>) {
  const workerEnv = { ...env, ...vars } as Env;
  return (path: string, init: RequestInit = {}) =>
    worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), workerEnv, createExecutionContext());
}

function form(fields: Record<string, unknown>): RequestInit {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": uniqueIp() }, body };
}

function json(fields: Record<string, unknown>): RequestInit {
  return { method: "POST", headers: { "Content-Type": "application/json", "CF-Connecting-IP": uniqueIp() }, body: JSON.stringify(fields) };
}

async function storedNotify(id: string): Promise<{ notify: unknown; approvalMailAt: unknown }> {
  const row = await waitForComment(id);
  return { notify: row.notify_replies, approvalMailAt: row.approval_mail_at };
}

const idFrom = (res: Response) => new URL(res.headers.get("location") ?? "", ORIGIN).searchParams.get("unapproved") ?? "";

const NO_MAIL = {
  "EMAIL_FROM empty": { EMAIL_FROM: "" },
  "no EMAIL binding": { ...MAIL_VARS, EMAIL: undefined },
};

describe("the notify box", () => {
  for (const [state, vars] of Object.entries(NO_MAIL)) {
    it(`is not offered, and a ticked one is dropped, with ${state}`, async () => {
      const fetch = blog(vars);
      const { id, slug } = await insertArticle();
      const page = await (await fetch(`/articles/${slug}`)).text();
      expect(page).toContain('name="comment"');
      expect(page).not.toContain('name="notify"');
      expect(page).not.toContain("Benachrichtige mich");

      // The form shown again with errors does not offer it either.
      const invalid = await fetch(`/articles/${slug}/comments`, form({ token: await oldToken(id), author: "", notify: "yes" }));
      expect(invalid.status).toBe(422);
      expect(await invalid.text()).not.toContain('name="notify"');

      const posted = await fetch(`/articles/${slug}/comments`, form(validFields({ token: await oldToken(id), notify: "yes" })));
      expect(posted.status).toBe(303);
      expect(await storedNotify(idFrom(posted))).toEqual({ notify: 0, approvalMailAt: expect.any(Number) });

      const viaJson = await fetch(`/articles/${slug}/comments`, json(validFields({ token: await oldToken(id), notify: true })));
      expect(viaJson.status).toBe(202);
      const answer = await viaJson.json<{ id: string; notify: boolean }>();
      expect(answer.notify).toBe(false);
      expect((await storedNotify(answer.id)).notify).toBe(0);
    }, 20_000);
  }

  it("is offered where mail can be sent, saying a confirmation mail comes first, and a ticked one is kept", async () => {
    const fetch = blog({ ...MAIL_VARS, EMAIL: recordingMailer().binding });
    const { id, slug } = await insertArticle();
    const page = await (await fetch(`/articles/${slug}`)).text();
    expect(page).toContain('<input id="notify" name="notify" type="checkbox" value="yes"/>');
    expect(page).toContain(`<label for="notify">${NOTIFY_LABEL} ${CONFIRM_FIRST}</label>`);

    const posted = await fetch(`/articles/${slug}/comments`, form(validFields({ token: await oldToken(id), notify: "yes" })));
    expect(posted.status).toBe(303);
    expect(await storedNotify(idFrom(posted))).toEqual({ notify: 1, approvalMailAt: null });
    const unticked = await fetch(`/articles/${slug}/comments`, form(validFields({ token: await oldToken(id) })));
    expect((await storedNotify(idFrom(unticked))).notify).toBe(0);

    const viaJson = await fetch(`/articles/${slug}/comments`, json(validFields({ token: await oldToken(id), notify: true })));
    const answer = await viaJson.json<{ id: string; notify: boolean }>();
    expect(answer.notify).toBe(true);
    expect((await storedNotify(answer.id)).notify).toBe(1);
  }, 20_000);
});
