import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";
import { oldToken, postForm, postJson, validFields } from "../helpers/post-comment";

async function setComment(id: string, fields: Record<string, string | number | null>): Promise<void> {
  const names = Object.keys(fields);
  await env.DB.prepare(`UPDATE comments SET ${names.map((n) => `${n} = ?`).join(", ")} WHERE id = ?`)
    .bind(...Object.values(fields), id)
    .run();
}

/** A chain of approved replies, each the child of the one before; returns ids from the top. */
async function insertChain(articleId: number, length: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < length; i++) {
    const id = await insertComment(articleId, "approved", `Ebene ${i + 1}`);
    await setComment(id, { parent_id: ids[i - 1] ?? null, created_at: Date.now() - 100_000 + i });
    ids.push(id);
  }
  return ids;
}

describe("approved comments under the article", () => {
  it("shows only approved comments, threaded and oldest first, with links and dates", async () => {
    const { id, slug } = await insertArticle();
    const root = await insertComment(id, "approved", "Erster!");
    const reply = await insertComment(id, "approved", "Antwort auf den ersten.");
    const pending = await insertComment(id, "pending", "Noch nicht freigegeben.");
    const spam = await insertComment(id, "spam", "Kauf was.");
    const withSite = await insertComment(id, "approved", "Mit Website.");
    await setComment(root, { created_at: Date.UTC(2024, 0, 2, 12) });
    await setComment(reply, { parent_id: root, created_at: Date.UTC(2024, 0, 3) });
    await setComment(pending, { parent_id: root });
    await setComment(withSite, { url: "https://erika.example/", author: "Erika Site", created_at: Date.UTC(2024, 0, 4) });
    await setComment(spam, { created_at: Date.UTC(2024, 0, 1) });
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html).toContain("Erster!");
    expect(html).not.toContain("Noch nicht freigegeben.");
    expect(html).not.toContain("Kauf was.");
    expect(html).toContain("(3 Kommentare)");
    expect(html.indexOf("Erster!")).toBeLessThan(html.indexOf("Mit Website."));
    expect(html).toMatch(new RegExp(`<li id="comment-${root}" class="comment">.*?<ol class="children"><li id="comment-${reply}"`, "s"));
    expect(html).toContain('<a href="https://erika.example/" rel="nofollow ugc noopener">Erika Site</a>');
    expect(html).toContain(`<a class="comment-permalink" href="#comment-${root}"`);
    expect(html).toContain("2. Januar 2024");
    expect(html).toContain(`href="/articles/${slug}?replyto=${root}#respond"`);
  });

  it("nests up to five levels and offers no reply below the fifth", async () => {
    const { id, slug } = await insertArticle();
    const chain = await insertChain(id, 5);
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html.match(/<ol class="children">/g)?.length).toBe(4);
    expect(html).toContain(`replyto=${chain[3]}#respond`);
    expect(html).not.toContain(`replyto=${chain[4]}#respond`);
  });

  it.each([
    ["de", "Antwort an"],
    ["en", "Reply to"],
  ] as const)("lays a ten-deep thread out five levels deep; deeper replies follow the fifth and name whom they answer (%s)", async (lang, words) => {
    const { id, slug } = await insertArticle({ lang });
    const chain = await insertChain(id, 10);
    for (const [i, commentId] of chain.entries()) await setComment(commentId, { author: `Person ${i + 1}` });
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html.match(/<ol class="children">/g)?.length).toBe(4);
    const items = [...html.matchAll(/<li id="comment-([0-9a-f-]{36})" class="comment"><article>(.*?)<\/article>/gs)];
    expect(items.map(([, itemId]) => itemId)).toEqual(chain);
    for (const [i, [, , article = ""]] of items.entries()) {
      const answers = /<p class="comment-answers"><a href="#comment-([0-9a-f-]{36})">([^<]*)<\/a><\/p>/.exec(article);
      // Levels 1 to 5 sit under their parent; 6 to 10 stand beside the fifth and say whom they answer.
      if (i < 5) expect(answers, `level ${i + 1}`).toBeNull();
      else expect(answers?.slice(1), `level ${i + 1}`).toEqual([chain[i - 1], `${words} Person ${i}`]);
    }
    // The fifth level's list holds it and every deeper reply, in thread order.
    const fifthList = html.slice(html.lastIndexOf('<ol class="children">'));
    expect(fifthList.match(/<li id="comment-/g)?.length).toBe(6);
  });

  it("turns the form into a reply form with ?replyto", async () => {
    const { id, slug } = await insertArticle();
    const parent = await insertComment(id, "approved", "Frage?");
    const html = await (await get(`/articles/${slug}?replyto=${parent}`)).text();
    expect(html).toContain("Antwort an Erika Muster");
    expect(html).toContain(`<input type="hidden" name="parent" value="${parent}"/>`);
    expect(html).toContain("Antwort abbrechen");
  });

  it("accepts replies to approved comments up to the fifth level only", async () => {
    const { id, slug } = await insertArticle();
    const chain = await insertChain(id, 5);
    const deepest = await postJson(slug, validFields({ token: await oldToken(id), parent: chain[4] }), { "Accept-Language": "en" });
    expect(deepest.status).toBe(422);
    expect((await deepest.json<{ fields: Record<string, string> }>()).fields.parent).toContain("takes no replies");
    expect((await postJson(slug, validFields({ token: await oldToken(id), parent: chain[3] }))).status).toBe(202);
  });

  it("refuses replies to pending comments and to comments of other articles", async () => {
    const { id, slug } = await insertArticle();
    const other = await insertArticle();
    const pending = await insertComment(id, "pending");
    const foreign = await insertComment(other.id, "approved");
    for (const parent of [pending, foreign, crypto.randomUUID()]) {
      const res = await postJson(slug, validFields({ token: await oldToken(id), parent }));
      expect(res.status, parent).toBe(422);
    }
  });
});

describe("privacy", () => {
  it("never shows a commenter's e-mail on a public page", async () => {
    const tag = `privat-${crypto.randomUUID().slice(0, 8)}`;
    const { id, slug } = await insertArticle({ tags: [{ slug: tag, name: tag }] });
    const email = `geheim.${crypto.randomUUID()}@example.com`;
    const comment = await insertComment(id, "approved", "Öffentlich sichtbar.");
    await setComment(comment, { email });
    const pages = [`/articles/${slug}`, "/", `/tags/${tag}`, `/articles/${slug}?replyto=${comment}`];
    for (const path of pages) {
      const res = await get(path);
      const text = await res.text();
      expect(text, path).not.toContain(email);
      expect(text, path).not.toContain(email.split("@")[0]);
      expect([...res.headers.values()].join("\n"), path).not.toContain(email);
    }
    expect(await (await get(`/articles/${slug}`)).text()).toContain("Öffentlich sichtbar.");
  });

  it("stores the IP only as a salted hash", async () => {
    const { id, slug } = await insertArticle();
    const res = await postJson(slug, validFields({ token: await oldToken(id) }), { "CF-Connecting-IP": "192.0.2.77" });
    const { id: commentId } = await res.json<{ id: string }>();
    const submission = await env.DB.prepare("SELECT * FROM comment_submissions WHERE id = ?").bind(commentId).first<Record<string, unknown>>();
    expect(JSON.stringify(submission)).not.toContain("192.0.2.77");
    expect(submission?.ip_hash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("a reply to a comment that cannot take one", () => {
  it("says so at the form, in words, and does not point at marked fields when none is marked", async () => {
    const { id, slug } = await insertArticle();
    const pending = await insertComment(id, "pending");
    const res = await postForm(slug, validFields({ token: await oldToken(id), parent: pending }));
    expect(res.status).toBe(422);
    const html = await res.text();
    const alert = /<p class="form-error"[^>]*role="alert"[^>]*>([^<]*)<\/p>/.exec(html)?.[1] ?? "";
    expect(alert).toBe("Den Kommentar, auf den du antworten willst, gibt es nicht (mehr), oder er nimmt keine Antworten an.");
    expect(html).not.toContain('aria-invalid="true"');
    // The summary stands inside the form, before the first field.
    expect(html.indexOf('class="form-error"')).toBeGreaterThan(html.indexOf('<form method="post"'));
    expect(html.indexOf('class="form-error"')).toBeLessThan(html.indexOf('id="comment"'));
  });

  it("still names marked fields when there are some, and the reply problem after them", async () => {
    const { id, slug } = await insertArticle();
    const res = await postForm(slug, validFields({ token: await oldToken(id), parent: crypto.randomUUID(), email: "kaputt" }));
    expect(res.status).toBe(422);
    const alert = /<p class="form-error"[^>]*role="alert"[^>]*>([^<]*)<\/p>/.exec(await res.text())?.[1] ?? "";
    expect(alert).toMatch(/^Bitte prüfe die markierten Felder\./);
  });
});
