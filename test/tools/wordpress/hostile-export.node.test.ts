// A hostile WordPress export through `npm run import:wordpress` into a
// temporary content folder and local D1 (real wrangler), then served by the
// Worker: escaped markup stays text, kept HTML loses handlers and unsafe URLs,
// prototype names in the export's values are reported instead of crashing,
// and the declared encoding is honoured.
import { readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { type DefaultTreeAdapterMap, parse } from "parse5";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import type { CliIo } from "../../../tools/publish/publish-command";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { createWorkspace } from "../helpers/workspace";
import { wxrComment, wxrExport, wxrItem } from "../helpers/wxr";

const ROOT = path.resolve(import.meta.dirname, "../../..");

// What WordPress showed as text (escaped), next to live markup that must not survive.
const HOSTILE_CONTENT = `<p>So sieht ein Weiterleitungs-Tag aus: &lt;meta http-equiv="refresh" content="0;url=https://evil.test/"&gt; – nur Text.</p>
<p>Auch das ist Text: &lt;script&gt;alert(1)&lt;/script&gt;, &amp;lt;b&amp;gt; und [x](javascript:alert(0))</p>
<p onclick="alert(2)">Absatz mit Handler</p>
<p><a href="javascript:alert(3)">Eins</a> <a href=" JaVaScRiPt:alert(4)">Zwei</a> <a href="java&#x09;script:alert(5)">Drei</a> <a href="javascript&amp;colon;alert(6)">Vier</a> <a href="data:text/html,&lt;script&gt;alert(7)&lt;/script&gt;">Fünf</a> <a href="https://ok.test/?a=1&amp;b=2">gut</a> <a href="mailto:post@ok.test">Mail</a> <a href="/relativ">relativ</a></p>
<p><img src="/bild.jpg" onerror="alert(8)" alt="Bild"> <img src="javascript:alert(9)" alt="js"></p>
<p>Hoch<sup onmouseover="alert(10)">[y](javascript:alert(11)) &lt;i&gt;</sup></p>
<details open ontoggle="alert(12)"><summary>Mehr</summary><p>Inhalt <a href="javascript:alert(13)">weg</a></p></details>
<iframe src="javascript:alert(14)" onload="alert(15)"></iframe>
<iframe src="https://video.test/embed/1" srcdoc="&lt;script&gt;alert(16)&lt;/script&gt;"></iframe>
<figure><img src="/a.jpg" onerror="alert(17)"><figcaption onclick="alert(18)">Unterschrift &lt;b&gt;</figcaption></figure>
<table><tr><td onclick="alert(19)"><a href="vbscript:alert(20)">t</a></td></tr></table>
<meta http-equiv="refresh" content="0;url=https://evil.test/">
<object data="https://evil.test/x.swf"><embed src="https://evil.test/x.swf"></object>
<svg><script>alert(21)</script></svg>
<style>body{display:none}</style>
<p>Shortcodes: [embed](javascript:alert(22)) [gallery ids="<img src=x onerror=alert(23)>"]</p>`;

const UNSAFE_SCHEME = /^\s*(?!https?:|mailto:)[a-z][a-z0-9+.-]*:/i;

type Element = DefaultTreeAdapterMap["element"];
type Node = DefaultTreeAdapterMap["node"];

function listElements(node: Node, out: Element[] = []): Element[] {
  if ("tagName" in node) out.push(node);
  const children = "content" in node && node.nodeName === "template" ? node.content.childNodes : "childNodes" in node ? node.childNodes : [];
  for (const child of children) listElements(child, out);
  return out;
}

function textOf(node: Node): string {
  if (node.nodeName === "#text" && "value" in node) return node.value;
  if (node.nodeName === "script" || node.nodeName === "style") return "";
  return "childNodes" in node ? node.childNodes.map(textOf).join("") : "";
}

/** What a browser would make live in `html`: elements that act by themselves, handlers, URLs that run code. */
function listLiveMarkup(html: string): string[] {
  const live: string[] = [];
  for (const element of listElements(parse(html))) {
    if (["script", "object", "embed", "svg", "base", "style"].includes(element.tagName)) live.push(`<${element.tagName}>`);
    if (element.tagName === "meta" && element.attrs.some((a) => a.name === "http-equiv")) live.push("<meta http-equiv>");
    for (const attr of element.attrs) {
      if (attr.name.startsWith("on") || attr.name === "srcdoc") live.push(`${element.tagName} ${attr.name}`);
      if (["href", "src", "action", "formaction", "data", "poster"].includes(attr.name) && UNSAFE_SCHEME.test(attr.value.replace(/[\t\n\r]/g, "")))
        live.push(`${element.tagName} ${attr.name}=${attr.value}`);
    }
  }
  return live;
}

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function runImport(file: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => null };
  const code = await runImportWordPress([file, ...args, "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

async function readArticle(slug: string) {
  const [rows = []] = (await queryD1(target, `SELECT slug, title, status, body_md, body_html FROM articles WHERE slug = '${slug}'`)) as Record<
    string,
    string
  >[][];
  return rows[0];
}

const listContent = async () => ((await readdir(content, { recursive: true }).catch(() => [])) as string[]).sort();

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("wordpress-hostile-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("importing a hostile WordPress export", () => {
  it("publishes escaped markup as text, and no live element, handler or javascript: URL", async () => {
    const file = path.join(tmp, "hostile.xml");
    await writeFile(file, wxrExport([wxrItem({ id: "10", title: "Escaped markup", name: "escaped-markup", content: HOSTILE_CONTENT })]));
    const result = await runImport(file);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain(
      'post 10 "Escaped markup": unsafe HTML removed: <meta>, <object>, <svg>, <script>, <style>, attributes that run script (onclick, onerror, onmouseover, ontoggle, onload, srcdoc), URLs with an unsafe scheme (javascript, data, vbscript)',
    );
    const article = await readArticle("escaped-markup");
    expect(article?.status).toBe("published");
    const bodyHtml = article?.body_html ?? "";
    expect(listLiveMarkup(bodyHtml)).toEqual([]);

    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      const page = await worker.fetch("http://blog.test/articles/escaped-markup");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(bodyHtml);
      const document = parse(html);
      expect(listLiveMarkup(html).filter((m) => m !== "<script>")).toEqual([]);
      // The page's own scripts are the blog's files and its JSON-LD; none comes from the article.
      for (const script of listElements(document).filter((e) => e.tagName === "script")) {
        const attrs = new Map(script.attrs.map((a) => [a.name, a.value]));
        if (attrs.get("type") !== "application/ld+json") expect(attrs.get("src"), "a script file of the blog").toMatch(/^\/assets\//);
      }
      const text = textOf(document).replace(/\s+/g, " ");
      expect(text).toContain('So sieht ein Weiterleitungs-Tag aus: <meta http-equiv="refresh" content="0;url=https://evil.test/"> – nur Text.');
      expect(text).toContain("Auch das ist Text: <script>alert(1)</script>, &lt;b&gt; und [x](javascript:alert(0))");
      expect(text).toContain("[y](javascript:alert(11)) <i>");
      expect(text).toContain("Unterschrift <b>");
      expect(text).toContain('Shortcodes: [embed](javascript:alert(22)) [gallery ids="<img src=x onerror=alert(23)>"]');
      const hrefs = listElements(document)
        .filter((e) => e.tagName === "a")
        .map((e) => e.attrs.find((a) => a.name === "href")?.value);
      expect(hrefs).toEqual(expect.arrayContaining(["https://ok.test/?a=1&b=2", "mailto:post@ok.test", "/relativ", "./javascript:alert(6)"]));
      // An iframe of a site the CSP does not frame is a link to what it showed; its srcdoc is gone.
      expect(html).toContain('<p><a href="https://video.test/embed/1">https://video.test/embed/1</a></p>');
      expect(html).not.toContain("<iframe");
    } finally {
      await worker.dispose();
    }
  });

  it("reports prototype names as post status, comment status and post type instead of crashing", async () => {
    const file = path.join(tmp, "prototype.xml");
    await writeFile(
      file,
      wxrExport([
        wxrItem({ id: "20", title: "Status toString", name: "status-tostring", status: "toString" }),
        wxrItem({ id: "21", title: "Status proto", name: "status-proto", status: "__proto__" }),
        wxrItem({
          id: "22",
          title: "Kommentare",
          name: "kommentare",
          comments: [wxrComment("1", "constructor", "Eins"), wxrComment("2", "__proto__", "Zwei"), wxrComment("3", "1", "Drei")],
        }),
        wxrItem({ id: "23", title: "Typ proto", type: "__proto__" }),
        wxrItem({ id: "24", title: "Typ constructor", type: "constructor" }),
      ]),
    );
    const result = await runImport(file);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain('post 20 "Status toString": unknown status "toString" in WordPress: imported as a draft');
    expect(result.out).toContain('post 21 "Status proto": unknown status "__proto__" in WordPress: imported as a draft');
    expect(result.out).toContain("Comments: 1 approved, 2 pending, 0 spam, 0 trash.");
    expect(result.out).toContain('  2 comments with an unknown status ("constructor", "__proto__") imported as pending.');
    expect(result.out).toContain("  skipped   1 __proto__ items: not posts or pages");
    expect(result.out).toContain("  skipped   1 constructor items: not posts or pages");
    expect((await readArticle("status-tostring"))?.status).toBe("draft");
    expect((await readArticle("status-proto"))?.status).toBe("draft");
    const [comments = []] = (await queryD1(
      target,
      "SELECT c.body_raw, c.status FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'kommentare' ORDER BY c.body_raw",
    )) as Record<string, string>[][];
    expect(comments).toEqual([
      { body_raw: "Drei", status: "approved" },
      { body_raw: "Eins", status: "pending" },
      { body_raw: "Zwei", status: "pending" },
    ]);
  });

  it("decodes the export by its declared encoding, and names an encoding it does not know", async () => {
    const file = path.join(tmp, "latin1.xml");
    const xml = wxrExport(
      [wxrItem({ id: "30", title: "Grüße aus Köln", name: "gruesse", content: "<p>Äpfel, Öl und Übermut: ß über alles.</p>" })],
      '<?xml version="1.0" encoding="ISO-8859-1"?>',
    );
    await writeFile(file, Buffer.from(xml, "latin1"));
    const result = await runImport(file);
    expect(result.code, result.err).toBe(0);
    const article = await readArticle("gruesse");
    expect(article?.title).toBe("Grüße aus Köln");
    expect(article?.body_md).toContain("Äpfel, Öl und Übermut: ß über alles.");
    expect(article?.body_md).not.toContain("\ufffd");

    const before = await listContent();
    const unknown = path.join(tmp, "klingon.xml");
    await writeFile(unknown, wxrExport([wxrItem({ id: "31", title: "Qapla" })], '<?xml version="1.0" encoding="x-klingon"?>'));
    const refused = await runImport(unknown);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain(`${unknown}: unknown encoding "x-klingon" in the XML declaration`);
    expect(refused.err).toContain("Nothing was written.");
    expect(await listContent()).toEqual(before);
    expect(await readArticle("beitrag-31")).toBeUndefined();
  });
});
