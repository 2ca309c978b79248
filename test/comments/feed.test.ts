// The comment feeds: site-wide at /comments/…, per article at /articles/:slug/comments/….
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { COMMENT_TAGS, renderCommentHtml } from "../../src/comments/sanitize";
import { insertArticle, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { fetchAllFormats, fetchAtom, fetchFeed, fetchJsonFeed, fetchRss, renderAsHtml, textOf, type Xml } from "../helpers/feeds";
import { get } from "../helpers/http";
import { postForm } from "../helpers/post-comment";

const SITE = "http://localhost:8787";

/** A comment with details that must never be published. */
async function insertPrivateComment(articleId: number, status: "approved" | "pending" | "spam" | "trash", text: string): Promise<string> {
  const id = await insertComment(articleId, status, text);
  await env.DB.prepare("UPDATE comments SET email = ?, ip_hash = ?, user_agent = ?, url = ? WHERE id = ?")
    .bind(`geheim-${id}@example.com`, `iphash-${id}`, `Agent-${id}`, "https://erika.example/", id)
    .run();
  return id;
}

const FEED_TYPES: [file: string, type: string][] = [
  ["feed.xml", "application/rss+xml"],
  ["atom.xml", "application/atom+xml"],
  ["feed.json", "application/feed+json"],
];

describe("GET /articles/:slug/comments/feed.xml, atom.xml, feed.json", () => {
  it("lists the article's approved comments only, newest first, and never an e-mail address or IP hash", async () => {
    const { id, slug } = await insertArticle({ title: "Mit Kommentaren" });
    const first = await insertPrivateComment(id, "approved", "Erster <b>freigegebener</b>");
    await env.DB.prepare("UPDATE comments SET created_at = ? WHERE id = ?")
      .bind(Date.now() - 10_000, first)
      .run();
    const second = await insertPrivateComment(id, "approved", "Zweiter freigegebener");
    const hidden = await Promise.all((["pending", "spam", "trash"] as const).map((status) => insertPrivateComment(id, status, `Versteckt ${status}`)));
    const other = await insertArticle();
    await insertPrivateComment(other.id, "approved", "Unter einem anderen Artikel");
    const base = `/articles/${slug}/comments`;
    for (const [file, type] of FEED_TYPES) {
      const body = await fetchFeed(`${base}/${file}`, type);
      for (const secret of [first, second, ...hidden].flatMap((c) => [`geheim-${c}`, `iphash-${c}`, `Agent-${c}`])) expect(body, file).not.toContain(secret);
      expect(body).not.toContain("Versteckt");
      expect(body).not.toContain("Unter einem anderen Artikel");
    }
    const { rss, atom, json } = await fetchAllFormats(base);
    const expected = [second, first].map((c) => `${SITE}/articles/${slug}#comment-${c}`);
    expect(rss.map((i) => textOf(i.guid))).toEqual(expected);
    expect(atom.map((e) => e.id)).toEqual(expected);
    expect(json.map((i) => i.id)).toEqual(expected);
    expect(rss[1].title).toBe("Erika Muster zu „Mit Kommentaren“");
    expect(rss[1]["dc:creator"]).toBe("Erika Muster");
    expect(rss[1]["content:encoded"]).toBe("<p>Erster <b>freigegebener</b></p>");
    expect(atom[1].author).toEqual({ name: "Erika Muster", uri: "https://erika.example/" });
    expect(json[1].authors).toEqual([{ name: "Erika Muster", url: "https://erika.example/" }]);
  });

  it("names the article in the feed's title and links to it", async () => {
    const { slug } = await insertArticle({ title: "Ein Titel", lang: "en" });
    const channel = (await fetchRss(`/articles/${slug}/comments/feed.xml`)).channel;
    expect(channel).toMatchObject({ title: "Comments on “Ein Titel”", language: "en" });
    expect(channel.link).toContain(`${SITE}/articles/${slug}`);
    expect(channel.item).toBeUndefined();
    const atom = await fetchAtom(`/articles/${slug}/comments/atom.xml`);
    expect(atom.id).toBe(`${SITE}/articles/${slug}/comments/atom.xml`);
    expect(atom.entry).toBeUndefined();
    expect((await fetchJsonFeed(`/articles/${slug}/comments/feed.json`)).items).toEqual([]);
  });

  it("answers 404 for an unknown, draft or future article, and follows an old slug", async () => {
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    const future = await insertArticle({ publishedAt: Date.now() + 3_600_000 });
    for (const slug of [uniqueSlug("nie"), draft.slug, future.slug, "NICHT_GUELTIG"]) {
      expect((await get(`/articles/${slug}/comments/feed.xml`)).status, slug).toBe(404);
    }
    const { id, slug } = await insertArticle();
    const alias = uniqueSlug("alt");
    await env.DB.prepare("INSERT INTO article_aliases (slug, article_id) VALUES (?, ?)").bind(alias, id).run();
    const moved = await get(`/articles/${alias}/comments/atom.xml`);
    expect(moved.status).toBe(301);
    expect(moved.headers.get("Location")).toBe(`/articles/${slug}/comments/atom.xml`);
  });

  it("leaves the comment endpoint below it as it was: POST only", async () => {
    const { slug } = await insertArticle();
    const res = await get(`/articles/${slug}/comments`);
    expect(res.status).toBe(405);
    expect(res.headers.get("Allow")).toBe("POST");
    expect((await postForm(slug, {})).status).toBe(422);
  });
});

describe("GET /comments/feed.xml, atom.xml, feed.json", () => {
  it("lists the newest approved comments of all visible articles, with the article in each title", async () => {
    const { id, slug } = await insertArticle({ title: "Überall" });
    const approved = await insertPrivateComment(id, "approved", "Seitenweit sichtbar");
    const pending = await insertPrivateComment(id, "pending", "Seitenweit versteckt");
    const draft = await insertArticle({ status: "draft", publishedAt: null });
    await insertPrivateComment(draft.id, "approved", "Unter einem Entwurf");
    for (const [file, type] of FEED_TYPES) {
      const body = await fetchFeed(`/comments/${file}`, type);
      expect(body, file).toContain("Seitenweit sichtbar");
      for (const hidden of ["Seitenweit versteckt", "Unter einem Entwurf", `geheim-${approved}`, `iphash-${approved}`, `geheim-${pending}`])
        expect(body, file).not.toContain(hidden);
    }
    const rss = await fetchRss("/comments/feed.xml");
    expect(rss.channel.title).toBe("Agenturblog – Kommentare");
    const item = rss.channel.item.find((i: { guid: unknown }) => textOf(i.guid) === `${SITE}/articles/${slug}#comment-${approved}`);
    expect(item).toMatchObject({ title: "Erika Muster zu „Überall“", description: "Seitenweit sichtbar" });
    // The entry's id stays the article URL with its fragment (readers key entries by it); the link is the
    // comment's permalink, which follows the comment to the comment page holding it.
    expect([item.link].flat()).toEqual([`${SITE}/comments/${approved}`]);
    expect(item.guid["@isPermaLink"]).toBe("false");
  });
});

describe("feeds where WordPress and Ghost keep them", () => {
  it("redirects /feed/, /rss/ and /comments/feed/ permanently", async () => {
    for (const [from, to] of [
      ["/feed/", "/feed.xml"],
      ["/feed", "/feed.xml"],
      ["/rss/", "/feed.xml"],
      ["/comments/feed/", "/comments/feed.xml"],
    ]) {
      const res = await get(from ?? "");
      expect(res.status, from).toBe(301);
      expect(res.headers.get("Location")).toBe(to);
    }
  });
});

// Readers render RSS text elements as HTML. Each feed is
// read the way a reader does: parsed as XML (or JSON), then every field a
// reader may render as HTML parsed as HTML (parse5): only the sanitized
// comment HTML may hold elements, and only allowed ones.
const HOSTILE = ["<img src=x onerror=alert(1)>", "&lt;script&gt;alert(1)&lt;/script&gt;", "]]><script>alert(1)</script>", '"><svg onload=alert(1)>'];

function expectOnlyText(html: string, expected: string | null, where: string) {
  const shown = renderAsHtml(html);
  expect(shown.elements, `${where}: ${html}`).toEqual([]);
  if (expected !== null) expect(shown.text, where).toBe(expected);
}

/** The comment allowlist, plus what the sanitizer writes itself: paragraphs, line breaks, rel on links. */
const ALLOWED: Record<string, readonly string[]> = { ...COMMENT_TAGS, p: [], br: [], a: [...(COMMENT_TAGS.a ?? []), "rel"] };

function expectAllowedMarkup(html: string, where: string) {
  const shown = renderAsHtml(html);
  expect(shown.elements.length, where).toBeGreaterThan(0);
  for (const { tag, attrs } of shown.elements) {
    expect(Object.hasOwn(ALLOWED, tag), `${where}: <${tag}> in ${html}`).toBe(true);
    for (const attr of attrs) expect(ALLOWED[tag], `${where}: ${tag}[${attr}]`).toContain(attr);
  }
}

describe("comment feeds carry no live markup from readers", () => {
  it("keeps hostile author names, comments and article titles as text in RSS, Atom and JSON Feed", async () => {
    const articleTitle = `Titel ${HOSTILE[0]} & ${HOSTILE[2]}`;
    const { id, slug } = await insertArticle({ title: articleTitle });
    const authors = new Map<string, string>();
    for (const [n, text] of HOSTILE.entries()) {
      const commentId = await insertComment(id, "approved", text);
      const author = `${HOSTILE[(n + 1) % HOSTILE.length]} ${n}`;
      authors.set(commentId, author);
      await env.DB.prepare("UPDATE comments SET author = ?, body_html = ? WHERE id = ?")
        .bind(author, renderCommentHtml(`${text} <a href="javascript:alert(1)" onclick="x()">link</a> <b onmouseover=alert(1)>fett</b>`), commentId)
        .run();
    }
    for (const base of [`/articles/${slug}/comments`, "/comments"]) {
      const rss = (await fetchRss(`${base}/feed.xml`)).channel;
      expectOnlyText(rss.title, null, `${base} channel title`);
      expectOnlyText(rss.description, null, `${base} channel description`);
      const mine = (rss.item ?? []).filter((item: Xml) => authors.has(textOf(item.guid).split("#comment-")[1] ?? ""));
      expect(mine).toHaveLength(HOSTILE.length);
      for (const item of mine) {
        const author = authors.get(textOf(item.guid).split("#comment-")[1] ?? "") ?? "";
        expectOnlyText(item.title, `${author} zu „${articleTitle}“`, "rss title");
        expectOnlyText(item["dc:creator"], author, "rss dc:creator");
        expectOnlyText(item.description, null, "rss description");
        expect(renderAsHtml(item.description).text).toContain("link fett");
        expectAllowedMarkup(item["content:encoded"], "rss content:encoded");
      }
      const atom = await fetchAtom(`${base}/atom.xml`);
      for (const entry of (atom.entry ?? []).filter((e: Xml) => authors.has(String(e.id).split("#comment-")[1] ?? ""))) {
        const author = authors.get(String(entry.id).split("#comment-")[1] ?? "") ?? "";
        expect(entry.title["@type"]).toBe("text");
        expect(textOf(entry.title)).toBe(`${author} zu „${articleTitle}“`);
        expect(entry.summary["@type"]).toBe("text");
        expect(entry.author.name).toBe(author);
        expect(entry.content["@type"]).toBe("html");
        expectAllowedMarkup(textOf(entry.content), "atom content");
      }
      const json = await fetchJsonFeed(`${base}/feed.json`);
      for (const item of json.items.filter((i: Xml) => authors.has(String(i.id).split("#comment-")[1] ?? ""))) {
        const author = authors.get(String(item.id).split("#comment-")[1] ?? "") ?? "";
        expect(item.title).toBe(`${author} zu „${articleTitle}“`);
        expect(item.authors[0].name).toBe(author);
        expect(item.content_text).toBeUndefined();
        expectAllowedMarkup(item.content_html, "json content_html");
      }
    }
  });
});
