// What an article's Markdown may hold beyond text: a provider's URL on a line
// of its own is a click-to-load embed, a paragraph of images a gallery,
// [^label] a footnote. Rendered with the one configured marked, then served
// by the Worker on a real local D1 and read with an HTML parser: nothing on
// the page loads from another host, and the embed's words follow the
// reader's language and the site's register.
import { createExecutionContext, env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { findEmbed } from "../../src/articles/embeds";
import { renderArticleHtml } from "../../src/articles/markdown";
import { getAssetPath } from "../../src/assets";
import embedsScript from "../../src/assets/embeds.js";
import type { FormOfAddress } from "../../src/i18n";
import worker from "../../src/index";
import { insertArticle } from "../helpers/articles";
import { findElements, listElements } from "../helpers/dom";
import { get, ORIGIN } from "../helpers/http";

const YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ";
const BODY = [
  "Ein Video:",
  "",
  YOUTUBE,
  "",
  "<https://vimeo.com/76979871>",
  "",
  "https://soundcloud.com/ein-kuenstler/ein-stueck",
  "",
  "Ein Satz mit Fußnote[^quelle] und noch einer[^2], dann die erste wieder[^quelle].",
  "",
  '![Erstes Bild](/media/eins.jpg "Am Morgen")',
  "![Zweites Bild](/media/zwei.jpg)",
  "",
  "[^quelle]: Die *Quelle*, mit [Link](https://example.org/quelle).",
  "[^2]: Die zweite Notiz",
  "  über zwei Zeilen.",
].join("\n");

const hostOf = (url: string) => new URL(url, ORIGIN).host;

/** Every URL the page would load by itself (not links a reader follows). */
function loadedUrls(html: string): string[] {
  return listElements(html).flatMap((el) => {
    if (el.tag === "a") return [];
    return ["src", "srcset", "poster", "data"].flatMap((name) => (el.attrs[name] ? [el.attrs[name]] : []));
  });
}

function site(address: FormOfAddress) {
  const workerEnv = { ...env, FORM_OF_ADDRESS: address } as Env;
  return (path: string, lang: string) =>
    worker.fetch(new Request(`${ORIGIN}${path}`, { headers: { "Accept-Language": lang } }), workerEnv, createExecutionContext());
}

describe("embeds, galleries and footnotes in Markdown", () => {
  it("knows the providers' links, and no lookalike", () => {
    expect(findEmbed("https://youtu.be/dQw4w9WgXcQ?t=42")?.src).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&start=42");
    expect(findEmbed("https://www.youtube.com/shorts/dQw4w9WgXcQ")?.src).toBe("https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1");
    expect(findEmbed("https://vimeo.com/76979871/abc123")?.src).toBe("https://player.vimeo.com/video/76979871?dnt=1&autoplay=1&h=abc123");
    expect(findEmbed("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")?.src).toBe("https://open.spotify.com/embed/track/4uLU6hMCjMI75M1A2tKUQC");
    expect(findEmbed("https://soundcloud.com/a/b")?.src).toBe("https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fa%2Fb&auto_play=true");
    for (const url of [
      "https://youtube.com.evil.test/watch?v=dQw4w9WgXcQ",
      "https://www.youtube.com/watch?v=zu-kurz",
      "https://www.youtube.com/watch?v=dQw4w9WgXcQ%22onload",
      "javascript://youtube.com/%0aalert(1)",
      "https://vimeo.com/about",
      "https://soundcloud.com/nur-ein-profil",
      "https://www.youtube.com/constructor",
      "https://__proto__/watch?v=dQw4w9WgXcQ",
    ]) {
      expect(findEmbed(url), url).toBeNull();
    }
  });

  it("renders a provider's URL on its own line as a link with the player's address, a bare URL elsewhere as a link", () => {
    const { html } = renderArticleHtml(`${BODY}\n\nIm Satz: ${YOUTUBE} bleibt ein Link.\n\nhttps://example.org/kein-anbieter`);
    const figures = findElements(html, "figure", "embed");
    expect(figures.map((f) => f.attrs["data-embed-src"])).toEqual([
      "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1",
      "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
      "https://w.soundcloud.com/player/?url=https%3A%2F%2Fsoundcloud.com%2Fein-kuenstler%2Fein-stueck&auto_play=true",
    ]);
    expect(findElements(html, "a", "embed-link").map((a) => a.attrs.href)).toEqual([
      YOUTUBE,
      "https://vimeo.com/76979871",
      "https://soundcloud.com/ein-kuenstler/ein-stueck",
    ]);
    expect(findElements(html, "iframe")).toEqual([]);
    expect(html).toContain(`<p>Im Satz: <a href="${YOUTUBE}">${YOUTUBE}</a> bleibt ein Link.</p>`);
    expect(html).toContain('<p><a href="https://example.org/kein-anbieter">https://example.org/kein-anbieter</a></p>');
  });

  it("renders a paragraph of two or more images as a gallery with captions from their titles", () => {
    const { html } = renderArticleHtml(BODY);
    const [gallery, ...more] = findElements(html, "figure", "gallery");
    expect(more).toEqual([]);
    expect(gallery?.text).toBe("\nAm Morgen\n\n");
    const images = findElements(html, "img");
    expect(images.map((i) => [i.attrs.src, i.attrs.alt, i.attrs.loading])).toEqual([
      ["/media/eins.jpg", "Erstes Bild", "lazy"],
      ["/media/zwei.jpg", "Zweites Bild", "lazy"],
    ]);
    expect(findElements(html, "figcaption").map((c) => c.text)).toEqual(["Am Morgen"]);
    // One image, or images in a sentence, stay as they were.
    expect(renderArticleHtml('![A](/a.jpg "T")').html).toBe('<p><img src="/a.jpg" alt="A" title="T" loading="lazy" decoding="async"></p>\n');
    expect(renderArticleHtml("Text ![A](/a.jpg) ![B](/b.jpg)").html).not.toContain("gallery");
  });

  it("numbers footnotes in the order the text cites them, linked both ways; an unknown label stays text", () => {
    const { html } = renderArticleHtml(`${BODY}\n\nUnbekannt[^nichts].`);
    const refs = findElements(html, "a").filter((a) => a.attrs.role === "doc-noteref");
    expect(refs.map((a) => [a.text, a.attrs.href, a.attrs.id])).toEqual([
      ["1", "#fn_1", "fnref_1"],
      ["2", "#fn_2", "fnref_2"],
      ["1", "#fn_1", "fnref_1_2"],
    ]);
    const notes = findElements(html, "li").filter((li) => li.attrs.id?.startsWith("fn_"));
    expect(notes.map((li) => li.attrs.id)).toEqual(["fn_1", "fn_2"]);
    expect(notes[0]?.text).toContain("Die Quelle, mit Link.");
    expect(notes[1]?.text).toContain("Die zweite Notiz\nüber zwei Zeilen.");
    const back = findElements(html, "a", "footnote-backref").map((a) => a.attrs.href);
    expect(back).toEqual(["#fnref_1", "#fnref_1_2", "#fnref_2"]);
    // Every link points at an element that is there.
    const ids = new Set(listElements(html).map((el) => el.attrs.id));
    for (const href of [...refs.map((a) => a.attrs.href), ...back]) expect(ids.has(href?.slice(1)), href).toBe(true);
    expect(html).toContain("Unbekannt[^nichts].");
    expect(html).not.toContain("[^quelle]");
    // A second render starts counting again.
    expect(renderArticleHtml("Nur[^a].\n\n[^a]: Eine.").html).toContain('<li id="fn_1">Eine.');
  });

  it("serves the article with the embeds' words in the reader's language and register, the loading script, and nothing from another host", async () => {
    // A page speaks its article's language.
    const german = await insertArticle({ bodyMd: BODY, comments: "closed", lang: "de" });
    const english = await insertArticle({ bodyMd: BODY, comments: "closed", lang: "en" });
    const cases: [FormOfAddress, string, string, string][] = [
      [
        "informal",
        "de",
        "Video von YouTube laden",
        "Erst wenn du klickst, wird der Player von YouTube geladen. Beim Abspielen werden Daten an YouTube übertragen.",
      ],
      [
        "formal",
        "de",
        "Video von YouTube laden",
        "Erst wenn Sie klicken, wird der Player von YouTube geladen. Beim Abspielen werden Daten an YouTube übertragen.",
      ],
      ["informal", "en", "Load the video from YouTube", "Nothing is loaded from YouTube until you click. Playing it sends data to YouTube."],
    ];
    for (const [address, lang, play, notice] of cases) {
      const res = await site(address)(`/articles/${lang === "en" ? english.slug : german.slug}`, lang);
      expect(res.status).toBe(200);
      const html = await res.text();
      const [first] = findElements(html, "figure", "embed");
      expect(first?.text.startsWith(`${play} ${YOUTUBE}`), `${address} ${lang}: ${first?.text}`).toBe(true);
      expect(findElements(html, "figcaption", "embed-notice")[0]?.text).toBe(notice);
      expect(findElements(html, "span", "embed-play").map((s) => s.text)).toHaveLength(3);
      expect(findElements(html, "a", "embed-link")[0]?.attrs.href).toBe(YOUTUBE);
      // Nothing the page loads by itself comes from another host: no iframe, no provider's picture, no script of theirs.
      expect(findElements(html, "iframe")).toEqual([]);
      for (const url of loadedUrls(html)) expect(hostOf(url), url).toBe(new URL(ORIGIN).host);
      expect(findElements(html, "script").map((s) => s.attrs.src)).toContain(getAssetPath("embeds"));
      const csp = res.headers.get("Content-Security-Policy") ?? "";
      expect(csp).toContain("frame-src https://www.youtube-nocookie.com https://player.vimeo.com https://w.soundcloud.com https://open.spotify.com;");
      expect(csp).toContain("media-src 'self'");
      expect(csp).toContain("script-src 'self'");
    }
    const script = await get(getAssetPath("embeds"));
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toBe(embedsScript);
  });

  it("links the script only on pages with an embed", async () => {
    const { slug } = await insertArticle({ bodyMd: "Nur Text und https://example.org auf einer Zeile.", comments: "closed" });
    const html = await (await get(`/articles/${slug}`)).text();
    expect(html).not.toContain("/assets/embeds.");
    expect(html).not.toContain("embed-link");
  });
});
