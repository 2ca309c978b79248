// Turning WordPress items into the blog's files, comment rows and redirects:
// pure functions, each checked on the class of input it has to handle.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseFrontMatter } from "../../../tools/publish/front-matter";
import { buildCommentRows, deriveCommentId, hashIp } from "../../../tools/wordpress/comment-rows";
import { convertPostHtml } from "../../../tools/wordpress/html-to-markdown";
import { detectPageRole } from "../../../tools/wordpress/page-roles";
import { renderPostFile } from "../../../tools/wordpress/post-file";
import { chooseSlug, createSlugRegistry, decodePostName, MAX_SLUG_LENGTH } from "../../../tools/wordpress/slugs";
import { emptyComment, emptyItem, type WxrComment, type WxrItem } from "../../../tools/wordpress/wxr-types";

const SETTINGS = { defaultLang: "de" as const, timeZone: "Europe/Berlin" };
const NOW = Date.UTC(2026, 0, 1);

function item(fields: Partial<WxrItem>): WxrItem {
  return { ...emptyItem(), id: "7", type: "post", status: "publish", title: "Titel", dateGmt: "2013-01-11 20:22:19", content: "Text", ...fields };
}

function render(fields: Partial<WxrItem>, extra: { role?: "privacy" | "imprint" | null; tags?: string[] } = {}) {
  const file = renderPostFile(
    {
      item: item(fields),
      slug: "titel",
      tags: extra.tags ?? [],
      author: "Anna",
      lang: "de",
      timeZone: SETTINGS.timeZone,
      role: extra.role ?? null,
      rewriteMedia: (h) => h,
    },
    NOW,
  );
  return { ...file, parsed: parseFrontMatter("titel.md", file.text, SETTINGS) };
}

describe("post content as Markdown", () => {
  it("makes paragraphs of the classic editor's blank lines, line breaks of single newlines", () => {
    expect(convertPostHtml("Eins\nzwei\n\nDrei <b>fett</b>").markdown).toBe("Eins  \nzwei\n\nDrei **fett**");
  });
  it("keeps <pre> as a code block and does not wrap block tags in paragraphs", () => {
    expect(convertPostHtml("Vorher\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<pre>x\n\ny</pre>").markdown).toBe("Vorher\n\n-   a\n-   b\n\n```\nx\n\ny\n```");
  });
  it("removes block editor comments", () => {
    const md = convertPostHtml('<!-- wp:paragraph {"a":1} -->\n<p>Hallo</p>\n<!-- /wp:paragraph -->').markdown;
    expect(md).toBe("Hallo");
  });
  it("turns [caption] into a figure with its caption", () => {
    const html =
      '[caption id="attachment_1" align="alignleft" width="150"]<img src="https://x.test/a-150x150.jpg" alt="A" width="150" /> Die Bildunterschrift[/caption]';
    const { markdown, shortcodes } = convertPostHtml(html);
    expect(markdown).toBe('<figure><img src="https://x.test/a-150x150.jpg" alt="A" width="150"><figcaption>Die Bildunterschrift</figcaption></figure>');
    expect(shortcodes).toEqual([]);
  });
  it("turns block editor images without a caption into Markdown images, and keeps those with one as figures", () => {
    expect(convertPostHtml('<!-- wp:image --><figure class="wp-block-image"><img src="/a.jpg" alt="A"/></figure><!-- /wp:image -->').markdown).toBe(
      "![A](/a.jpg)",
    );
    expect(
      convertPostHtml('<figure class="wp-block-image"><img src="/a.jpg" alt="A" srcset="x 1w"/><figcaption class="c">Bild</figcaption></figure>').markdown,
    ).toBe('<figure><img src="/a.jpg" alt="A"><figcaption>Bild</figcaption></figure>');
  });
  it("keeps a [gallery] of attachments the export lacks, [playlist] and unknown shortcodes as text and lists them; prose in brackets is no shortcode", () => {
    const { markdown, shortcodes } = convertPostHtml('<p>A [gallery ids="1,2"] B [playlist ids="3"] C [foo_bar x="1"] [not a shortcode]</p>');
    // Escaped like all text: marked shows the brackets, and reads no link into them.
    expect(markdown).toBe('A \\[gallery ids="1,2"\\] B \\[playlist ids="3"\\] C \\[foo_bar x="1"\\] \\[not a shortcode\\]');
    expect(shortcodes).toEqual(["gallery", "playlist", "foo_bar"]);
    expect(convertPostHtml("[myplugin id=3]").shortcodes).toEqual(["myplugin"]);
  });
  it("writes GFM tables, and keeps tables Markdown cannot say as HTML", () => {
    expect(convertPostHtml("<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>").markdown).toBe(
      "| A | B |\n| --- | --- |\n| 1 | 2 |",
    );
    expect(convertPostHtml("<table><tr><td>1</td></tr></table>").markdown).toBe("<table><tbody><tr><td>1</td></tr></tbody></table>");
  });
  it("makes an iframe of a known player its embed, and any other iframe a link to what it showed", () => {
    expect(convertPostHtml('<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed"></iframe>').markdown).toBe(
      "<https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed>",
    );
    expect(convertPostHtml('<iframe src="https://v.test/e"></iframe>').markdown).toBe("<https://v.test/e>");
    expect(convertPostHtml('<iframe src="javascript:alert(1)"></iframe>').markdown).toBe("");
  });
});

describe("slugs", () => {
  it("decodes percent-encoded slugs and transliterates umlauts", () => {
    expect(decodePostName("%c3%bcber-uns")).toBe("über-uns");
    expect(chooseSlug("%c3%bcber-uns", "Über uns", "page-1")).toBe("ueber-uns");
    expect(chooseSlug("stra%C3%9Fe", "", "post-1")).toBe("strasse");
    expect(decodePostName("%e0%a4%a")).toBe("%e0%a4%a");
  });
  it("falls back to the title, then to the type and id", () => {
    expect(chooseSlug("", "Mein Entwurf!", "post-9")).toBe("mein-entwurf");
    expect(chooseSlug("%ce%b5%ce%bb", "Ελληνικά", "page-9")).toBe("page-9");
    expect(chooseSlug("", "!!!", "post-9")).toBe("post-9");
    expect(chooseSlug("alt__trashed", "", "post-9")).toBe("alt");
  });
  it("cuts very long slugs at a hyphen and keeps them unique", () => {
    const long = chooseSlug("", "wort ".repeat(60), "post-1");
    expect(long.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(long).toMatch(/^wort(-wort)*$/);
    const registry = createSlugRegistry();
    expect([registry.claim("a"), registry.claim("a"), registry.claim("a")]).toEqual(["a", "a-2", "a-3"]);
    const longTwice = [registry.claim(long), registry.claim(long)];
    expect(longTwice[1]?.length).toBeLessThanOrEqual(MAX_SLUG_LENGTH);
    expect(longTwice[1]).not.toBe(longTwice[0]);
  });
});

describe("front matter", () => {
  it("writes a valid file with the post's fields", () => {
    const { parsed } = render({ excerpt: "<p>Kurz &amp; gut</p>", modifiedGmt: "2013-02-01 10:00:00", commentStatus: "closed" }, { tags: ["Web", "KMU"] });
    expect(parsed.ok && parsed.value.fields).toMatchObject({
      title: "Titel",
      slug: "titel",
      date: Date.UTC(2013, 0, 11, 20, 22, 19),
      updated: Date.UTC(2013, 1, 1, 10),
      summary: "Kurz & gut",
      tags: [
        { slug: "web", name: "Web" },
        { slug: "kmu", name: "KMU" },
      ],
      lang: "de",
      author: "Anna",
      draft: false,
      comments: "closed",
    });
  });
  it("imports drafts, pending, private and password-protected posts as drafts, and notes the password", () => {
    for (const status of ["draft", "pending", "private"]) expect(render({ status }).draft, status).toBe(true);
    const locked = render({ password: "geheim" });
    expect(locked.draft).toBe(true);
    expect(locked.notes).toContain("password-protected in WordPress: imported as a draft");
    expect(locked.parsed.ok && locked.parsed.value.fields.draft).toBe(true);
  });
  it("keeps a scheduled post's date, and leaves a draft WordPress never dated undated (its first publish dates it)", () => {
    const future = render({ status: "future", dateGmt: "2030-05-01 08:00:00" });
    expect([future.draft, future.scheduled]).toEqual([false, true]);
    // post_date is only the last save: the draft was never dated.
    const draft = render({ status: "draft", dateGmt: "0000-00-00 00:00:00", date: "2024-07-01 12:00:00", modifiedGmt: "2024-07-01 10:00:00" });
    expect(draft.parsed.ok && draft.parsed.value.fields.date).toBe(null);
    expect(draft.text).not.toMatch(/^date:/m);
    const pending = render({ status: "pending", dateGmt: "0000-00-00 00:00:00", date: "2024-07-01 12:00:00" });
    expect(pending.parsed.ok && pending.parsed.value.fields.date).toBe(null);
    // Older WordPress wrote the save time as GMT date, the same as the modified time.
    const saved = render({ status: "draft", dateGmt: "2024-07-01 10:00:00", date: "2024-07-01 12:00:00", modifiedGmt: "2024-07-01 10:00:00" });
    expect(saved.parsed.ok && saved.parsed.value.fields.date).toBe(null);
    // A date an editor chose stays.
    const chosen = render({ status: "draft", dateGmt: "2024-09-01 06:00:00", modifiedGmt: "2024-07-01 10:00:00" });
    expect(chosen.parsed.ok && chosen.parsed.value.fields.date).toBe(Date.UTC(2024, 8, 1, 6));
    // A published post without GMT date (some exports) is dated by post_date in the site's time zone, as before.
    const published = render({ status: "publish", dateGmt: "0000-00-00 00:00:00", date: "2024-07-01 12:00:00" });
    expect(published.parsed.ok && published.parsed.value.fields.date).toBe(Date.UTC(2024, 6, 1, 10));
  });
  it("makes titles with markup plain text, shortens very long ones, and names untitled posts", () => {
    const markup = render({ title: "<em>Schräg</em> &amp; <b>fett</b>" });
    expect(markup.parsed.ok && markup.parsed.value.fields.title).toBe("Schräg & fett");
    const long = render({ title: "Wort ".repeat(80) });
    expect(long.parsed.ok && long.parsed.value.fields.title.length).toBeLessThanOrEqual(200);
    const none = render({ title: "" });
    expect(none.parsed.ok && none.parsed.value.fields.title).toBe("Ohne Titel 7");
  });
  it("quotes what YAML would read as something else, and survives empty content", () => {
    const odd = render({ title: 'yes: "no" # 1' });
    expect(odd.parsed.ok && odd.parsed.value.fields.title).toBe('yes: "no" # 1');
    const empty = render({ content: "" });
    expect(empty.parsed.ok).toBe(true);
    const numeric = renderPostFile({ item: item({}), slug: "2", tags: [], author: null, lang: null, timeZone: "UTC", role: null, rewriteMedia: (h) => h }, NOW);
    expect(parseFrontMatter("2.md", numeric.text, SETTINGS).ok).toBe(true);
  });
});

describe("page roles", () => {
  it("recognises the privacy page and the Impressum by slug or title", () => {
    for (const slug of ["datenschutz", "datenschutzerklaerung", "datenschutzerklärung", "privacy-policy", "privacy"])
      expect(detectPageRole(slug, ""), slug).toBe("privacy");
    expect(detectPageRole("seite-3", "Datenschutzerklärung")).toBe("privacy");
    for (const slug of ["impressum", "imprint", "legal-notice"]) expect(detectPageRole(slug, ""), slug).toBe("imprint");
    for (const slug of ["ueber-uns", "constructor", "__proto__", "toString"]) expect(detectPageRole(slug, slug), slug).toBe(null);
  });
});

describe("comments", () => {
  const comment = (fields: Partial<WxrComment>): WxrComment => ({
    ...emptyComment(),
    dateGmt: "2013-03-01 10:00:00",
    content: "Hallo",
    approved: "1",
    parent: "0",
    ...fields,
  });
  const options = { site: "https://alt.test", ipSalt: "salz-0123456789abcdef", pingbacks: false, timeZone: "UTC" };

  it("derives the same UUID from the site and WordPress id every time, and different ones otherwise", () => {
    const id = deriveCommentId("https://alt.test", "12");
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveCommentId("https://alt.test/", " 12 ")).toBe(id);
    expect(deriveCommentId("https://alt.test", "13")).not.toBe(id);
    expect(deriveCommentId("https://neu.test", "12")).not.toBe(id);
  });

  it("hashes the IP exactly as the Worker does (Web Crypto SHA-256 of salt|ip|address)", async () => {
    const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("salz-0123456789abcdef|ip|192.0.2.1"));
    expect(hashIp("salz-0123456789abcdef", "192.0.2.1")).toBe(Buffer.from(digest).toString("hex"));
    expect(hashIp("s", "::1")).toBe(createHash("sha256").update("s|ip|::1").digest("hex"));
  });

  it("maps statuses, keeps threads with parents first, skips pingbacks unless asked, and sanitizes the text", async () => {
    const list = [
      comment({ id: "3", parent: "2", content: "Antwort <script>x</script> <b>fett</b>" }),
      comment({ id: "2", approved: "0", ip: "192.0.2.1" }),
      comment({ id: "4", approved: "spam" }),
      comment({ id: "5", approved: "trash" }),
      comment({ id: "6", type: "pingback" }),
      comment({ id: "7", parent: "99" }),
    ];
    const { rows, pingbacksSkipped } = await buildCommentRows(list, options);
    expect(pingbacksSkipped).toBe(1);
    expect(rows.map((r) => [r.id, r.status])).toEqual([
      [deriveCommentId(options.site, "2"), "pending"],
      [deriveCommentId(options.site, "3"), "approved"],
      [deriveCommentId(options.site, "4"), "spam"],
      [deriveCommentId(options.site, "5"), "trash"],
      [deriveCommentId(options.site, "7"), "approved"],
    ]);
    expect(rows[1]?.parentId).toBe(rows[0]?.id);
    expect(rows[4]?.parentId).toBe(null);
    expect(rows[1]?.bodyHtml).toContain("&lt;script&gt;");
    expect(rows[1]?.bodyHtml).toContain("<b>fett</b>");
    expect(rows[0]?.ipHash).toBe(hashIp(options.ipSalt, "192.0.2.1"));
    expect(rows[1]?.ipHash).toBe(null);
    expect((await buildCommentRows(list, { ...options, pingbacks: true })).rows).toHaveLength(6);
    expect((await buildCommentRows([comment({ id: "2", ip: "192.0.2.1" })], { ...options, ipSalt: null })).rows[0]?.ipHash).toBe(null);
  });

  it("survives a parent cycle", async () => {
    const { rows } = await buildCommentRows([comment({ id: "1", parent: "2" }), comment({ id: "2", parent: "1" })], options);
    expect(rows).toHaveLength(2);
  });
});
