// The Markdown renderer's images: the blog's own are shown; one on another
// host would hand the reader's address to that host when the page loads, so
// it becomes a link the reader may follow (and the CSP forbids loading it).
import { parse } from "parse5";
import { describe, expect, it } from "vitest";
import { renderArticleHtml } from "../../src/articles/markdown";

type Node = { nodeName: string; attrs?: { name: string; value: string }[]; childNodes?: Node[] };

/** Every element of `name` in the rendered fragment, with its attributes, as a parser reads them. */
function elements(html: string, name: string): Record<string, string>[] {
  const found: Record<string, string>[] = [];
  const walk = (node: Node) => {
    if (node.nodeName === name) found.push(Object.fromEntries((node.attrs ?? []).map((a) => [a.name, a.value])));
    for (const child of node.childNodes ?? []) walk(child);
  };
  walk(parse(html) as unknown as Node);
  return found;
}

describe("images in Markdown", () => {
  it("shows the blog's own images: paths, relative names and data: URLs", () => {
    for (const src of ["/media/bild.jpg", "media/bild.jpg", "../media/bild.jpg", "data:image/png;base64,iVBORw0KGgo="]) {
      const { html } = renderArticleHtml(`![Ein Bild](${src})`);
      expect(elements(html, "img"), src).toEqual([expect.objectContaining({ src, alt: "Ein Bild", loading: "lazy" })]);
    }
  });

  it.each([
    ["https://images.example.net/foto.jpg", "images.example.net"],
    ["http://old-blog.example.com/wp-content/uploads/a.png", "old-blog.example.com"],
    ["//cdn.example.org/a.png", "cdn.example.org"],
    ["HTTPS://Upper.Example.COM/a.png", "upper.example.com"],
    ["https://user@images.example.net:8443/a.png", "images.example.net:8443"],
  ])("turns %s into a link naming its host, and loads nothing", (src, host) => {
    const { html } = renderArticleHtml(`Davor.\n\n![Ein Foto](${src})\n\nDanach.`);
    expect(elements(html, "img")).toEqual([]);
    const links = elements(html, "a");
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ class: "outside-image", rel: "noopener" });
    expect(new URL(links[0]?.href ?? "", "https://x.invalid").host).toBe(host);
    expect(html).toContain(`Ein Foto (${host})`);
  });

  it("names the address when the image has no alt text, escaped", () => {
    const { html } = renderArticleHtml('![](https://images.example.net/a.png?x="<b>")');
    expect(elements(html, "img")).toEqual([]);
    expect(html).not.toContain("<b>");
    expect(elements(html, "a")[0]?.href).toBe('https://images.example.net/a.png?x="<b>"');
  });
});
