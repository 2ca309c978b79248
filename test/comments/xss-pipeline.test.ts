import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { XSS_VECTORS } from "../fixtures/xss-vectors";
import { insertArticle } from "../helpers/articles";
import { get } from "../helpers/http";
import { oldToken, postJson, validFields } from "../helpers/post-comment";
import { ABSENT_XSS_CORPORA, loadDompurifyPayloads, loadOwaspVectors, warnAbsentXssCorpora } from "../helpers/xss-corpora";
import { findXssProblems } from "../helpers/xss-judge";

warnAbsentXssCorpora("the comment pipeline test");

async function waitForRows(articleId: number, count: number): Promise<number> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const row = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ?").bind(articleId).first<{ n: number }>();
    if ((row?.n ?? 0) >= count || Date.now() > deadline) return row?.n ?? 0;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Posts each vector as a comment and as its author's name, approves them all, and judges every comment page. */
async function expectInertThroughPipeline(vectors: readonly string[]): Promise<void> {
  const { id, slug } = await insertArticle();
  const token = await oldToken(id);
  let accepted = 0;
  const refused: string[] = [];
  for (const vector of vectors) {
    const res = await postJson(
      slug,
      validFields({
        token,
        comment: vector,
        author:
          vector
            .replace(/[\u0000-\u001f\u007f]/g, " ")
            .slice(0, 60)
            .trim() || "x",
        url: "",
      }),
    );
    if (res.status === 202) accepted += 1;
    else if (res.status === 422) refused.push(vector);
    else throw new Error(`unexpected ${res.status} for ${JSON.stringify(vector).slice(0, 80)}: ${await res.text()}`);
    await res.body?.cancel();
  }
  // Only vectors no comment may hold (control characters, empty) are refused, never silently dropped.
  for (const vector of refused) expect(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|^\s*$/.test(vector), JSON.stringify(vector)).toBe(true);
  expect(await waitForRows(id, accepted)).toBe(accepted);
  await env.DB.prepare("UPDATE comments SET status = 'approved' WHERE article_id = ?").bind(id).run();

  // Every comment page: the article URL shows the newest, the others are numbered up to it.
  let html = await (await get(`/articles/${slug}`)).text();
  for (let n = 1; ; n++) {
    const res = await get(`/articles/${slug}/comment-page-${n}`);
    if (res.status !== 200) break;
    html += await res.text();
  }
  const bodies = [...html.matchAll(/<div class="comment-body">([\s\S]*?)<\/div>/g)].map((m) => m[1] ?? "");
  expect(bodies.length).toBe(accepted);
  const problems = bodies.flatMap((body) => findXssProblems(body).map((p) => `${body.slice(0, 80)}: ${p}`));
  expect(problems).toEqual([]);
  // The authors' names went through the page too: escaped text, never markup.
  const authors = [...html.matchAll(/<b class="comment-author">([\s\S]*?)<\/b>/g)].map((m) => m[1] ?? "");
  expect(authors.length).toBe(accepted);
  for (const author of authors) expect(findXssProblems(author)).toEqual([]);
}

describe("XSS vectors through the whole pipeline: endpoint, queue, consumer, approval and article page render none as live markup", () => {
  it("the project's own vectors", async () => {
    expect(XSS_VECTORS.length).toBeGreaterThan(200);
    await expectInertThroughPipeline(XSS_VECTORS);
  }, 120_000);

  it.skipIf(ABSENT_XSS_CORPORA.length === 2)(
    "the outside corpora in ../shared/xss",
    async () => {
      const vectors = [...new Set([...((await loadDompurifyPayloads()) ?? []), ...((await loadOwaspVectors()) ?? [])])];
      expect(vectors.length).toBeGreaterThan(100);
      await expectInertThroughPipeline(vectors);
    },
    120_000,
  );
});
