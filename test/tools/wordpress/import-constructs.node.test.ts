// What WordPress posts hold besides text survives the move: the project's
// export test/fixtures/wordpress/content-constructs.xml (a classic and a
// block-editor post with galleries, embeds, uploaded video and audio,
// footnotes, quotes with <cite>, tables, code and captions) imported end to
// end into a temporary content folder and local D1 (real wrangler), then
// served by the Worker and read with an HTML parser: galleries hold their
// images, embeds load nothing from another host until a click, footnotes
// link both ways, the quote keeps its source.
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findElements, listElements, type PageElement } from "../../helpers/dom";
import { type BlogWorker, ROOT, runImport, startBlogWorker } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const EXPORT = path.join(ROOT, "test/fixtures/wordpress/content-constructs.xml");
const UPLOADS = ["2021/03/hobel.jpg", "2021/03/saege.jpg", "2021/03/werkbank.jpg", "2021/03/rundgang.mp4", "2021/03/interview.mp3", "2021/04/leim.jpg"];
const YOUTUBE_PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1";

let ws: Workspace;
let worker: BlogWorker | undefined;
const pages = new Map<string, string>();

beforeAll(async () => {
  ws = await createWorkspace("wordpress-constructs-");
  const uploads = path.join(ws.tmp, "uploads");
  for (const file of UPLOADS) {
    await mkdir(path.dirname(path.join(uploads, file)), { recursive: true });
    await writeFile(path.join(uploads, file), `not really ${file}`);
  }
  const result = await runImport(ws, [EXPORT, "--media", uploads, "--yes"]);
  expect(result.code, `${result.out}\n${result.err}`).toBe(0);
  worker = await startBlogWorker(ws);
  for (const slug of ["klassisch-mit-medien", "bloecke-mit-fussnoten"]) {
    const res = await worker.fetch(`http://blog.test/articles/${slug}`);
    expect(res.status, slug).toBe(200);
    pages.set(slug, await res.text());
  }
}, 300_000);

afterAll(async () => {
  await worker?.dispose();
  if (ws) await rm(ws.tmp, { recursive: true, force: true });
});

const readContent = (file: string) => readFile(path.join(ws.content, file), "utf8");
const page = (slug: string) => pages.get(slug) ?? "";

/** The article body of a served page: its elements, in order. */
function bodyOf(html: string): string {
  return /<div class="article-body">([\s\S]*?)<\/div><\/article>/.exec(html)?.[1] ?? "";
}

/** What the page would load by itself from another host (links a reader follows do not count). */
function foreignLoads(html: string): string[] {
  return listElements(html)
    .filter((el) => el.tag !== "a" && el.tag !== "link")
    .flatMap((el) => ["src", "srcset", "poster", "data", "data-src"].flatMap((name) => (el.attrs[name] ? [el.attrs[name]] : [])))
    .filter((url) => new URL(url, "http://blog.test").host !== "blog.test");
}

function galleries(html: string): PageElement[][] {
  const elements = listElements(bodyOf(html));
  const out: PageElement[][] = [];
  elements.forEach((el, i) => {
    if (el.tag !== "figure" || !(el.attrs.class ?? "").split(" ").includes("gallery")) return;
    // The images inside: the elements after it whose text lies within its own.
    out.push(elements.slice(i + 1).filter((img, j, rest) => img.tag === "img" && rest.slice(0, j).every((e) => e.tag !== "p")));
  });
  return out;
}

describe("importing galleries, embeds, media, footnotes and quotes", () => {
  it("writes the classic post's constructs as Markdown an editor could have written", async () => {
    const md = await readContent("klassisch-mit-medien.md");
    // [gallery] without ids: the post's attachments in menu order, captions and alt texts from the export.
    expect(md).toContain(
      [
        "![Säge](/media/2021/03/saege.jpg)",
        '![Hobel auf der Werkbank](/media/2021/03/hobel.jpg "Der alte Hobel")',
        '![](/media/2021/03/werkbank.jpg "Die Werkbank, \\"frisch\\" geölt")',
      ].join("\n"),
    );
    expect(md).toContain('![Säge](/media/2021/03/saege.jpg)\n![Hobel auf der Werkbank](/media/2021/03/hobel.jpg "Der alte Hobel")\n\nDer Film');
    expect(md).toContain("<https://www.youtube.com/watch?v=dQw4w9WgXcQ>\n\n<https://vimeo.com/76979871>\n\n<https://soundcloud.com/werkstatt/hobelbank>");
    expect(md).toContain('<video controls="" preload="metadata" src="/media/2021/03/rundgang.mp4" poster="/media/2021/03/hobel.jpg"></video>');
    expect(md).toContain('<audio controls="" preload="metadata" src="/media/2021/03/interview.mp3"></audio>');
    expect(md).toContain("[https://cdn.fremd.example/film.mp4](https://cdn.fremd.example/film.mp4)");
    expect(md).toMatch(/^> — <cite>Meister Eder<\/cite>$/m);
    expect(md).not.toMatch(/\\\[(gallery|embed|video|audio)/);
  });

  it("writes the block editor's gallery, embeds and footnotes, and leaves out what the notes may not hold", async () => {
    const md = await readContent("bloecke-mit-fussnoten.md");
    expect(md).toContain("Holz arbeitet[^1], und Leim braucht Zeit[^2].");
    expect(md).toContain("[^1]: Es quillt und schwindet mit der [Feuchte](https://holz.example/feuchte).\n[^2]: Mindestens **24 Stunden**.");
    expect(md).not.toContain("Nirgends zitiert");
    expect(md).not.toContain("alert(1)");
    expect(md).toContain("<https://youtu.be/dQw4w9WgXcQ>\n\nDer Rundgang\n\n<https://open.spotify.com/episode/0Q86acNRm6V9GYx55SXKwf>");
    expect(md).toContain("<https://www.youtube.com/embed/dQw4w9WgXcQ?feature=oembed>");
  });

  it("serves each gallery as a figure of its images with their captions", () => {
    const classic = galleries(page("klassisch-mit-medien"));
    expect(classic.map((g) => g.map((img) => img.attrs.src))).toEqual([
      ["/media/2021/03/saege.jpg", "/media/2021/03/hobel.jpg", "/media/2021/03/werkbank.jpg"],
      ["/media/2021/03/saege.jpg", "/media/2021/03/hobel.jpg"],
    ]);
    expect(classic[0]?.map((img) => img.attrs.alt)).toEqual(["Säge", "Hobel auf der Werkbank", ""]);
    const blocks = galleries(page("bloecke-mit-fussnoten"));
    expect(blocks.map((g) => g.map((img) => [img.attrs.src, img.attrs.alt]))).toEqual([
      [
        ["/media/2021/03/hobel.jpg", "Hobel"],
        ["/media/2021/03/saege.jpg", "Säge"],
        ["/media/2021/04/leim.jpg", "Leimzwingen"],
      ],
    ]);
    const captions = findElements(bodyOf(page("bloecke-mit-fussnoten")), "figcaption").map((c) => c.text);
    expect(captions).toEqual(expect.arrayContaining(["Der alte Hobel", "Zwingen & Leim", "Leim trocknet"]));
    expect(bodyOf(page("bloecke-mit-fussnoten"))).toContain("<p>Drei Werkzeuge</p>");
  });

  it("serves every embed as a link that loads nothing from another host until a click", () => {
    for (const slug of ["klassisch-mit-medien", "bloecke-mit-fussnoten"]) {
      const html = page(slug);
      expect(findElements(html, "iframe"), slug).toEqual([]);
      expect(foreignLoads(html), slug).toEqual([]);
      expect(
        findElements(html, "script").every((s) => !s.attrs.src || s.attrs.src.startsWith("/assets/")),
        slug,
      ).toBe(true);
      expect(findElements(html, "script").map((s) => s.attrs.src)).toContainEqual(expect.stringMatching(/^\/assets\/embeds\.\w+\.js$/));
    }
    const classic = findElements(page("klassisch-mit-medien"), "figure", "embed");
    expect(classic.map((f) => f.attrs["data-embed-src"])).toEqual([
      YOUTUBE_PLAYER,
      "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
      "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fwerkstatt%2Fhobelbank&auto_play=true",
    ]);
    for (const figure of classic) expect(figure.text).toMatch(/Beim Abspielen werden Daten an (YouTube|Vimeo|SoundCloud) übertragen\./);
    const blocks = findElements(page("bloecke-mit-fussnoten"), "figure", "embed");
    expect(blocks.map((f) => f.attrs["data-embed-src"])).toEqual([
      YOUTUBE_PLAYER,
      "https://open.spotify.com/embed/episode/0Q86acNRm6V9GYx55SXKwf",
      YOUTUBE_PLAYER,
    ]);
  });

  it("serves the uploaded video and audio from the site, the other site's video as a link", () => {
    const body = bodyOf(page("klassisch-mit-medien"));
    expect(findElements(body, "video").map((v) => [v.attrs.src, v.attrs.poster, "controls" in v.attrs])).toEqual([
      ["/media/2021/03/rundgang.mp4", "/media/2021/03/hobel.jpg", true],
    ]);
    expect(findElements(body, "audio").map((a) => a.attrs.src)).toEqual(["/media/2021/03/interview.mp3"]);
    expect(findElements(body, "a").map((a) => a.attrs.href)).toContain("https://cdn.fremd.example/film.mp4");
  });

  it("serves footnotes linked both ways", () => {
    const html = page("bloecke-mit-fussnoten");
    const ids = new Set(listElements(html).map((el) => el.attrs.id));
    const refs = findElements(html, "a").filter((a) => a.attrs.role === "doc-noteref");
    const backs = findElements(html, "a", "footnote-backref");
    expect(refs.map((a) => [a.text, a.attrs.href])).toEqual([
      ["1", "#fn_1"],
      ["2", "#fn_2"],
    ]);
    expect(backs.map((a) => a.attrs.href)).toEqual(["#fnref_1", "#fnref_2"]);
    for (const a of [...refs, ...backs]) expect(ids.has(a.attrs.href?.slice(1)), a.attrs.href).toBe(true);
    const notes = findElements(html, "li").filter((li) => li.attrs.id?.startsWith("fn_"));
    expect(notes.map((li) => li.text.replace(/\s*↩\uFE0E$/, ""))).toEqual(["Es quillt und schwindet mit der Feuchte.", "Mindestens 24 Stunden."]);
  });

  it("keeps the quote's source, tables, code and captioned figures", () => {
    const classic = bodyOf(page("klassisch-mit-medien"));
    const blocks = bodyOf(page("bloecke-mit-fussnoten"));
    expect(findElements(classic, "cite").map((c) => c.text)).toEqual(["Meister Eder"]);
    expect(findElements(blocks, "cite").map((c) => c.text)).toEqual(["Ein Tischler"]);
    for (const [body, quote] of [
      [classic, "Gutes Werkzeug ist die halbe Arbeit."],
      [blocks, "Miss zweimal, schneide einmal."],
    ] as const) {
      const [blockquote] = findElements(body, "blockquote");
      expect(blockquote?.text).toContain(quote);
      // The cite is inside the quote.
      expect(blockquote?.text).toMatch(/— (Meister Eder|Ein Tischler)/);
    }
    expect(findElements(classic, "th").map((th) => th.text)).toEqual(["Werkzeug", "Preis"]);
    expect(findElements(blocks, "td").map((td) => td.text)).toEqual(["Eiche", "hart", "Fichte", "weich"]);
    expect(findElements(classic, "pre")[0]?.text).toBe("Zeile eins\n  eingerückt\n");
    expect(findElements(blocks, "code")[0]?.text).toBe("leimen(zwinge, 24h);\n");
    expect(findElements(classic, "figcaption").map((c) => c.text)).toContain("Der alte Hobel");
  });
});
