// The conversions of tools/wordpress/block-content.ts and shortcodes.ts one by
// one, on bodies as WordPress stores them, including what an export may
// hold that it should not: broken footnote meta, prototype names as ids.
import { describe, expect, it } from "vitest";
import { renderArticleHtml } from "../../../src/articles/markdown";
import { readFootnotes } from "../../../tools/wordpress/block-content";
import { convertPostHtml } from "../../../tools/wordpress/html-to-markdown";

const sup = (id: string, n: number) => `<sup data-fn="${id}" class="fn"><a href="#${id}" id="${id}-link">${n}</a></sup>`;

describe("the block editor's footnotes", () => {
  it("become Markdown footnotes in the order the text cites them, whatever the meta's order", () => {
    const meta = JSON.stringify([
      { id: "b", content: "Zweite." },
      { id: "a", content: "Erste mit <em>Betonung</em>." },
    ]);
    const { markdown } = convertPostHtml(`<!-- wp:paragraph --><p>Eins${sup("a", 1)} zwei${sup("b", 2)}.</p><!-- /wp:paragraph -->`, { footnotes: meta });
    expect(markdown).toBe("Eins[^1] zwei[^2].\n\n[^1]: Erste mit *Betonung*.\n[^2]: Zweite.");
    const { html } = renderArticleHtml(markdown);
    expect(html).toContain('<li id="fn_1">Erste mit <em>Betonung</em>. <a href="#fnref_1"');
  });

  it("survive meta that is no JSON, no list, or names prototype properties", () => {
    for (const meta of ["{", '"text"', "{}", "[1, null, {}]", '[{"id": 3, "content": "x"}]']) expect(readFootnotes(meta).size, meta).toBe(0);
    const notes = readFootnotes(
      JSON.stringify([
        { id: "__proto__", content: "P" },
        { id: "constructor", content: "C" },
      ]),
    );
    expect([...notes]).toEqual([
      ["__proto__", "P"],
      ["constructor", "C"],
    ]);
    const { markdown } = convertPostHtml(`<!-- wp:paragraph --><p>A${sup("__proto__", 1)} B${sup("constructor", 2)} C${sup("toString", 3)}</p>`, {
      footnotes: JSON.stringify([
        { id: "__proto__", content: "P" },
        { id: "constructor", content: "C" },
      ]),
    });
    // A mark without its note stays the number it showed.
    expect(markdown).toBe('A[^1] B[^2] C<sup data-fn="toString"><a href="#toString">3</a></sup>\n\n[^1]: P\n[^2]: C');
  });

  it("go through the allowlist: a note's script is removed and reported", () => {
    const meta = JSON.stringify([{ id: "a", content: 'Quelle<script>alert(1)</script> <a href="javascript:alert(2)">x</a>' }]);
    const result = convertPostHtml(`<!-- wp:paragraph --><p>A${sup("a", 1)}</p>`, { footnotes: meta });
    expect(result.markdown).toBe("A[^1]\n\n[^1]: Quelle x");
    expect(result.removed).toEqual(expect.arrayContaining(["<script>", "URLs with an unsafe scheme (javascript)"]));
  });
});

describe("footnotes in Markdown", () => {
  it("take prototype names and labels up to 64 characters; a longer one is no footnote", () => {
    const long = "x".repeat(64);
    const { html } = renderArticleHtml(
      `A[^__proto__] B[^constructor] C[^${long}] D[^${long}y]\n\n[^__proto__]: P\n[^constructor]: C\n[^${long}]: L\n[^${long}y]: M`,
    );
    expect([...html.matchAll(/<li id="fn_(\d)">(\w)/g)].map((m) => `${m[1]}${m[2]}`)).toEqual(["1P", "2C", "3L"]);
    expect(html).not.toContain('id="fn_4"');
  });
});

describe("galleries, embeds and quotes of the classic editor", () => {
  it("keeps a [gallery] whose attachments are not in the export, and one naming prototype properties, as text", () => {
    const result = convertPostHtml('[gallery ids="__proto__,constructor"]\n\n[gallery]', {
      postId: "constructor",
      attachments: { byId: new Map(), byParent: new Map() },
    });
    expect(result.markdown).toBe('\\[gallery ids="__proto__,constructor"\\]\n\n\\[gallery\\]');
    expect(result.shortcodes).toEqual(["gallery"]);
  });

  it("writes an attachment's caption as the image's title, quotes and brackets escaped", () => {
    const attachment = { id: "7", url: "/media/a (1).jpg", caption: 'Ein "Bild" \\ mit <b>Fett</b>', alt: "Alt [x]", parent: "1", menuOrder: 0 };
    const attachments = { byId: new Map([["7", attachment]]), byParent: new Map([["1", [attachment, { ...attachment, id: "8", caption: "" }]]]) };
    const { markdown } = convertPostHtml("[gallery]", { postId: "1", attachments });
    expect(markdown).toBe('![Alt \\[x\\]](</media/a%20(1).jpg> "Ein \\"Bild\\" \\\\ mit Fett")\n![Alt \\[x\\]](</media/a%20(1).jpg>)');
    const { html } = renderArticleHtml(markdown);
    expect(html).toContain(
      '<figure><img src="/media/a%20(1).jpg" alt="Alt [x]" loading="lazy" decoding="async"><figcaption>Ein &quot;Bild&quot; \\ mit Fett</figcaption></figure>',
    );
  });

  it("turns [embed] of a provider into its URL alone, of another site into a link, and leaves prose with a URL alone", () => {
    expect(convertPostHtml("[embed]https://vimeo.com/76979871[/embed]").markdown).toBe("<https://vimeo.com/76979871>");
    expect(convertPostHtml("[embed]https://andere.example/x_y[/embed]").markdown).toBe("[https://andere.example/x\\_y](https://andere.example/x_y)");
    expect(convertPostHtml("Siehe https://vimeo.com/76979871 dort.").markdown).toBe("Siehe https://vimeo.com/76979871 dort.");
  });

  it("makes [video] and [audio] of copied uploads the site's own players, of other sites links", () => {
    expect(convertPostHtml('[video src="/media/a.mp4" poster="https://fremd.example/p.jpg"]').markdown).toBe(
      '<video controls="" preload="metadata" src="/media/a.mp4"></video>',
    );
    expect(convertPostHtml('[audio ogg="/media/a.ogg"][/audio]').markdown).toBe('<audio controls="" preload="metadata" src="/media/a.ogg"></audio>');
    expect(convertPostHtml('[video src="https://youtu.be/dQw4w9WgXcQ"]').markdown).toBe("<https://youtu.be/dQw4w9WgXcQ>");
    const hostile = convertPostHtml('[audio src="javascript:alert(1)"]');
    expect(hostile.markdown).toBe("javascript:alert(1)");
    expect(hostile.removed).toEqual(["URLs with an unsafe scheme (javascript)"]);
  });
});
