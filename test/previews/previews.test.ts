// Drafts to share: a signed, expiring /preview/<id> link shows the
// stored draft, never indexed or cached at the edge, in no list, feed, sitemap
// or search; tampered links are 404, expired ones 410, and publishing the
// article deletes its previews in the publish transaction.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { getDb } from "../../src/db/client";
import { buildPreviewLink, signPreview } from "../../src/previews/link";
import { searchPublished } from "../../src/search/queries";
import { parseSearchQuery } from "../../src/search/query";
import { buildPublishStatements } from "../../tools/publish/publish-sql";
import { sourceFor } from "../helpers/article-files";
import { uniqueSlug } from "../helpers/articles";
import { get, ORIGIN } from "../helpers/http";

const SECRET = "test-preview-secret-0123456789abcdef";
const DAY = 86_400_000;

function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
}

/** Stores a preview as `npm run preview` does and returns its link's path and query. */
async function storePreview(opts: { slug?: string; expiresAt?: number; word?: string } = {}) {
  const slug = opts.slug ?? uniqueSlug("preview");
  const id = randomId();
  const word = opts.word ?? `vorschauwort${crypto.randomUUID().slice(0, 8)}`;
  const expiresAt = opts.expiresAt ?? Date.now() + 7 * DAY;
  await env.DB.prepare("INSERT INTO previews (id, slug, title, lang, body_html, created_at, expires_at) VALUES (?, ?, ?, 'de', ?, ?, ?)")
    .bind(id, slug, `Entwurf ${slug}`, `<p>Geheimer Text ${word}</p>`, Date.now(), expiresAt)
    .run();
  const link = await buildPreviewLink(ORIGIN, SECRET, id, expiresAt);
  return { id, slug, word, expiresAt, path: link.slice(ORIGIN.length), sig: await signPreview(SECRET, id, expiresAt) };
}

describe("a preview link", () => {
  it("shows the draft, noindex and no-store, with no edge headers", async () => {
    const preview = await storePreview();
    const res = await get(preview.path);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain(`<h1>Entwurf ${preview.slug}</h1>`);
    expect(html).toContain(`<p>Geheimer Text ${preview.word}</p>`);
    expect(html).toContain('<meta name="robots" content="noindex"/>');
    expect(html).toContain("Vorschau eines Entwurfs");
    expect(html).not.toContain('rel="canonical"');
    expect(res.headers.get("X-Robots-Tag")).toBe("noindex, nofollow");
    expect(res.headers.get("Cache-Control")).toContain("no-store");
    expect(res.headers.get("Cloudflare-CDN-Cache-Control")).toBeNull();
    expect(res.headers.get("Cache-Tag")).toBeNull();
  });

  it("is a 404 page when tampered with: signature, id, expiry, or missing parts", async () => {
    const preview = await storePreview();
    const other = await storePreview();
    const flip = (s: string) => (s[0] === "A" ? "B" : "A") + s.slice(1);
    const paths = [
      `/preview/${preview.id}?sig=${flip(preview.sig)}`,
      `/preview/${preview.id}?sig=${preview.sig.slice(0, -1)}`,
      `/preview/${preview.id}?sig=`,
      `/preview/${preview.id}`,
      `/preview/${preview.id}?sig=${other.sig}`,
      `/preview/${flip(preview.id)}?sig=${preview.sig}`,
      `/preview/${preview.id}?sig=${await signPreview(SECRET, preview.id, preview.expiresAt + DAY)}`,
      `/preview/${preview.id}?sig=${await signPreview("another-secret-0123456789abcdef", preview.id, preview.expiresAt)}`,
      ...["constructor", "__proto__", "toString", "hasOwnProperty"].map((id) => `/preview/${id}?sig=${preview.sig}`),
      `/preview/${"x".repeat(5000)}?sig=${preview.sig}`,
    ];
    for (const path of paths) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      const html = await res.text();
      expect(html).toContain("Vorschau nicht gefunden");
      expect(html).not.toContain(preview.word);
      expect(res.headers.get("Cache-Control"), path).toContain("no-store");
      expect(res.headers.get("Cloudflare-CDN-Cache-Control")).toBeNull();
    }
  });

  it("is a 410 page once expired", async () => {
    const preview = await storePreview({ expiresAt: Date.now() - 1 });
    const res = await get(preview.path, { headers: { "Accept-Language": "en" } });
    expect(res.status).toBe(410);
    const html = await res.text();
    expect(html).toContain("Preview expired");
    expect(html).not.toContain(preview.word);
    expect(res.headers.get("Cache-Control")).toContain("no-store");
  });

  it("dies when its article is published, in the publish transaction, but not when a draft is", async () => {
    const slug = uniqueSlug("preview-pub");
    const preview = await storePreview({ slug });
    const run = (files: string[][]) => Promise.all(files.map((statements) => env.DB.batch(statements.map((s) => env.DB.prepare(s)))));
    const draft = await sourceFor(slug, ["draft: true"]);
    const draftFiles = buildPublishStatements({ added: [draft], changed: [], unchanged: [], gone: [], offline: [], skipped: [] }, { now: Date.now() });
    expect(draftFiles.flat().some((s) => s.startsWith("DELETE FROM previews"))).toBe(false);
    await run(draftFiles);
    expect((await get(preview.path)).status).toBe(200);
    const published = await sourceFor(slug, ["date: 2024-01-01"]);
    const stored = { slug, sourceHash: draft.sourceHash, htmlVersion: null, sourcePath: draft.path, commentCount: 0 };
    const files = buildPublishStatements(
      { added: [], changed: [{ source: published, stored, reasons: ["content"] }], unchanged: [], gone: [], offline: [], skipped: [] },
      { now: Date.now() },
    );
    // The deletion is one of the statements D1 runs as one batch with the article's upsert.
    expect(files).toHaveLength(1);
    expect(files[0]).toContain(`DELETE FROM previews WHERE slug IN ('${slug}');`);
    await run(files);
    expect((await get(preview.path)).status).toBe(404);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM previews WHERE slug = ?").bind(slug).first("n")).toBe(0);
    // The same statements still store the plain text search reads.
    const bodyText = await env.DB.prepare("SELECT body_text FROM articles WHERE slug = ?").bind(slug).first("body_text");
    expect(typeof bodyText === "string" && bodyText.length > 0).toBe(true);
  });

  it("is in no list, feed, sitemap or search", async () => {
    const preview = await storePreview();
    expect((await get(preview.path)).status).toBe(200);
    for (const path of ["/", "/feed.xml", "/atom.xml", "/feed.json", "/sitemap.xml"]) {
      const text = await (await get(path)).text();
      expect(text, path).not.toContain(preview.slug);
      expect(text, path).not.toContain(preview.word);
      expect(text, path).not.toContain("/preview/");
    }
    const parsed = parseSearchQuery(preview.word);
    if (!parsed.ok) throw new Error("query should parse");
    const found = await searchPublished(getDb(env.DB), parsed.query, { now: Date.now(), limit: 10, offset: 0 });
    expect(found.hits).toHaveLength(0);
  });

  it("is off without PREVIEW_SECRET: every link is a 404", async () => {
    const worker = (await import("../../src/index")).default;
    const { createExecutionContext, waitOnExecutionContext } = await import("cloudflare:test");
    const preview = await storePreview();
    const ctx = createExecutionContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${preview.path}`), { ...env, PREVIEW_SECRET: "" }, ctx);
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(404);
  });
});
