// Flood control and the rate limit under concurrent submissions: real POSTs
// through the Worker, all at once, on the real local D1 and queue.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { ORIGIN } from "../helpers/http";
import { oldToken, uniqueIp, validFields } from "../helpers/post-comment";

const AT_ONCE = 24;

async function post(slug: string, fields: Record<string, unknown>, ip: string, vars: Record<string, string>): Promise<Response> {
  const ctx = createExecutionContext();
  const req = new Request(`${ORIGIN}/articles/${slug}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": ip },
    body: JSON.stringify(fields),
  });
  const res = await worker.fetch(req, { ...env, ...vars }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

async function outcomes(responses: Response[]) {
  return Promise.all(
    responses.map(async (res) => ({ status: res.status, retryAfter: res.headers.get("retry-after"), code: (await res.json<{ code?: string }>()).code })),
  );
}

describe("limits hold for submissions that arrive at the same moment", () => {
  it(`lets exactly COMMENT_RATE_LIMIT of ${AT_ONCE} simultaneous comments from one address through`, async () => {
    const { id, slug } = await insertArticle();
    const token = await oldToken(id);
    const ip = uniqueIp();
    const vars = { COMMENT_FLOOD_SECONDS: "0", COMMENT_RATE_LIMIT: "10" };
    const answers = await outcomes(await Promise.all(Array.from({ length: AT_ONCE }, () => post(slug, validFields({ token }), ip, vars))));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(10);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused).toHaveLength(AT_ONCE - 10);
    for (const a of refused) {
      expect(a).toMatchObject({ status: 429, code: "rate_limited" });
      // The window is ten minutes, counted from the oldest comment in it.
      expect(Number(a.retryAfter)).toBeGreaterThan(590);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(600);
    }
    const recorded = await env.DB.prepare("SELECT count(*) AS n FROM comment_submissions WHERE article_id = ?").bind(id).first("n");
    expect(recorded).toBe(10);
  });

  it(`lets one of ${AT_ONCE} simultaneous comments with one e-mail through flood control`, async () => {
    const { id, slug } = await insertArticle();
    const token = await oldToken(id);
    const email = validFields().email;
    const vars = { COMMENT_FLOOD_SECONDS: "15", COMMENT_RATE_LIMIT: "0" };
    const answers = await outcomes(await Promise.all(Array.from({ length: AT_ONCE }, () => post(slug, validFields({ token, email }), uniqueIp(), vars))));
    expect(answers.filter((a) => a.status === 202)).toHaveLength(1);
    const refused = answers.filter((a) => a.status !== 202);
    expect(refused).toHaveLength(AT_ONCE - 1);
    for (const a of refused) {
      expect(a).toMatchObject({ status: 429, code: "flood" });
      expect(Number(a.retryAfter)).toBeGreaterThan(0);
      expect(Number(a.retryAfter)).toBeLessThanOrEqual(15);
    }
    const recorded = await env.DB.prepare("SELECT count(*) AS n FROM comment_submissions WHERE article_id = ?").bind(id).first("n");
    expect(recorded).toBe(1);
  });

  it("the same comment sent twice at once is recorded once; the other is a duplicate", async () => {
    const { id, slug } = await insertArticle();
    const fields = validFields({ token: await oldToken(id) });
    const vars = { COMMENT_FLOOD_SECONDS: "0", COMMENT_RATE_LIMIT: "0" };
    const answers = await outcomes(await Promise.all([post(slug, fields, uniqueIp(), vars), post(slug, fields, uniqueIp(), vars)]));
    expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
    expect(answers.find((a) => a.status === 409)?.code).toBe("duplicate");
  });
});
