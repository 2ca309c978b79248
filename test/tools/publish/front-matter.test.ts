import { describe, expect, it } from "vitest";
import { formatSiteDate, parseSiteDate } from "../../../src/articles/site-dates";
import { parseArticleFile, parseFrontMatter } from "../../../tools/publish/front-matter";
import { articleText, SETTINGS } from "../../helpers/article-files";
import { sha256Hex } from "../../helpers/articles";

const BERLIN = "Europe/Berlin";

describe("parseFrontMatter: good files", () => {
  it("fills defaults: slug from the file name, the site's language, open comments, no date", () => {
    const result = parseFrontMatter("Über uns & mehr.md", articleText(["title: Über uns"], "Wir sind **klein**.\n\n\n"), SETTINGS);
    expect(result).toEqual({
      ok: true,
      value: {
        fields: {
          slug: "ueber-uns-mehr",
          title: "Über uns",
          date: null,
          updated: null,
          summary: null,
          tags: [],
          lang: "de",
          author: null,
          draft: false,
          comments: "open",
          aliases: [],
          translationKey: null,
          id: null,
          image: null,
          pinned: false,
        },
        lines: { slug: 1, tags: [], aliases: [], translationKey: 1, id: 1 },
        bodyMd: "Wir sind **klein**.",
      },
    });
  });

  it("reads every field, with the file lines of tags and aliases", () => {
    const text = articleText([
      'title: "Newsletter: ja oder nein?"',
      "slug: newsletter",
      "date: 2024-01-15",
      "updated: 2024-07-01T12:30:00+02:00",
      "summary: Kurz gesagt.",
      "tags: [Online-Kommunikation, KMU]",
      "lang: en",
      "author: Agenturteam",
      "draft: true",
      "comments: closed",
      "aliases:",
      "  - newsletter-2024",
      "  - nl",
      "translationKey: newsletter-or-social",
      "id: 01JF8ZQ3M4X9A7B2C5D6E8F0GH",
      "image: /media/2024/01/newsletter.jpg",
      'imageAlt: "Ein Briefkasten"',
      "pinned: true",
    ]);
    const result = parseFrontMatter("whatever.md", text, SETTINGS);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.fields).toEqual({
      slug: "newsletter",
      title: "Newsletter: ja oder nein?",
      date: Date.parse("2024-01-14T23:00:00Z"),
      updated: Date.parse("2024-07-01T10:30:00Z"),
      summary: "Kurz gesagt.",
      tags: [
        { slug: "online-kommunikation", name: "Online-Kommunikation" },
        { slug: "kmu", name: "KMU" },
      ],
      lang: "en",
      author: "Agenturteam",
      draft: true,
      comments: "closed",
      aliases: ["newsletter-2024", "nl"],
      translationKey: "newsletter-or-social",
      id: "01JF8ZQ3M4X9A7B2C5D6E8F0GH",
      image: { url: "/media/2024/01/newsletter.jpg", alt: "Ein Briefkasten" },
      pinned: true,
    });
    expect(result.value.lines).toEqual({ slug: 3, tags: [7, 7], aliases: [13, 14], translationKey: 15, id: 16 });
  });

  it("takes empty optional fields as not given, and CRLF line endings and a BOM as usual", () => {
    const text = '\uFEFF---\r\ntitle: Hallo\r\nsummary:\r\nauthor: ""\r\ntags: []\r\ndate:\r\ntranslationKey:\r\n---\r\nZeile eins\r\nZeile zwei\r\n';
    const result = parseFrontMatter("hallo.md", text, SETTINGS);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.fields).toMatchObject({ summary: null, author: null, tags: [], date: null, translationKey: null });
    expect(result.value.bodyMd).toBe("Zeile eins\nZeile zwei");
  });

  it("hashes the whole file as the source hash and the body as the body hash", async () => {
    const text = articleText(["title: Hallo"], "Text.\n");
    const result = await parseArticleFile("hallo.md", text, SETTINGS);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.sourceHash).toBe(await sha256Hex(text));
    expect(result.value.bodyHash).toBe(await sha256Hex("Text."));
    expect(result.value.path).toBe("hallo.md");
  });
});

const NOT_AN_IMAGE_URL = "is neither a path on this site (e.g. /media/2024/05/photo.jpg) nor an https URL";

// Each bad file and the exact errors it gets: [file line, message].
const BAD_FILES: [name: string, text: string, errors: [number, string][]][] = [
  ["image over http", articleText(["title: Hallo", "image: http://example.com/a.jpg"]), [[3, `image: "http://example.com/a.jpg" ${NOT_AN_IMAGE_URL}`]]],
  [
    "image on another host without a scheme",
    articleText(["title: Hallo", "image: //evil.example/a.jpg"]),
    [[3, `image: "//evil.example/a.jpg" ${NOT_AN_IMAGE_URL}`]],
  ],
  ["image as a script URL", articleText(["title: Hallo", "image: javascript:alert(1)"]), [[3, `image: "javascript:alert(1)" ${NOT_AN_IMAGE_URL}`]]],
  ["image as a relative path", articleText(["title: Hallo", "image: media/a.jpg"]), [[3, `image: "media/a.jpg" ${NOT_AN_IMAGE_URL}`]]],
  ["image path with a space", articleText(["title: Hallo", 'image: "/media/a b.jpg"']), [[3, `image: "/media/a b.jpg" ${NOT_AN_IMAGE_URL}`]]],
  ["image path with a backslash", articleText(["title: Hallo", "image: '/\\evil.example/a.jpg'"]), [[3, `image: "/\\evil.example/a.jpg" ${NOT_AN_IMAGE_URL}`]]],
  ["image as a list", articleText(["title: Hallo", "image: [a.jpg]"]), [[3, "image: must be text, got a list"]]],
  ["imageAlt without an image", articleText(["title: Hallo", "imageAlt: Ein Bild"]), [[3, "imageAlt: describes the image, but there is no image: field"]]],
  [
    "imageAlt too long",
    articleText(["title: Hallo", "image: /a.png", `imageAlt: ${"x".repeat(301)}`]),
    [[4, "imageAlt: too long (301 characters, at most 300)"]],
  ],
  ["pinned as a word", articleText(["title: Hallo", "pinned: ja"]), [[3, 'pinned: must be true or false, got "ja"']]],
  ["no front matter", "# Hallo\n\nText", [[1, 'front matter: missing; the file must start with a line "---"']]],
  ["unclosed front matter", "---\ntitle: Hallo\n\nText", [[1, "front matter: opened with --- on line 1 but never closed"]]],
  ["missing title", articleText(["lang: de"]), [[1, "title: required"]]],
  ["empty title", articleText(['title: ""']), [[2, "title: must not be empty"]]],
  ["title that YAML reads as a number", articleText(["title: 1984"]), [[2, "title: must be text, got 1984; put it in quotes"]]],
  ["misspelt field", articleText(["title: Hallo", "tittle: Hallo"]), [[3, 'tittle: unknown field; did you mean "title"?']]],
  [
    "unknown field",
    articleText(["title: Hallo", "colour: red"]),
    [
      [
        3,
        "colour: unknown field; known fields: title, slug, date, updated, summary, tags, lang, author, draft, comments, aliases, translationKey, image, imageAlt, pinned, id",
      ],
    ],
  ],
  ["translation key misspelt", articleText(["title: Hallo", "translation_key: x"]), [[3, 'translation_key: unknown field; did you mean "translationKey"?']]],
  [
    "translation key with spaces and capitals",
    articleText(["title: Hallo", "translationKey: Schnelle Websites"]),
    [[3, 'translationKey: "Schnelle Websites" is not a valid translation key; use lower-case letters, digits and single hyphens, e.g. "schnelle-websites"']],
  ],
  [
    "translation key with a slash",
    articleText(["title: Hallo", "translationKey: de/fast"]),
    [[3, 'translationKey: "de/fast" is not a valid translation key; use lower-case letters, digits and single hyphens, e.g. "de-fast"']],
  ],
  [
    "an id with spaces",
    articleText(["title: Hallo", "id: mein artikel"]),
    [[3, 'id: "mein artikel" is not a valid id; use 8 to 64 letters, digits, "-" or "_" (or remove the line: publishing writes a new one)']],
  ],
  ["an id as a number", articleText(["title: Hallo", "id: 12345678"]), [[3, "id: must be text, got 12345678; put it in quotes"]]],
  ["translation key as a number", articleText(["title: Hallo", "translationKey: 42"]), [[3, "translationKey: must be text, got 42; put it in quotes"]]],
  ["translation key as a list", articleText(["title: Hallo", "translationKey: [a, b]"]), [[3, "translationKey: must be text, got a list"]]],
  [
    "translation key too long",
    articleText(["title: Hallo", `translationKey: ${"a".repeat(201)}`]),
    [[3, "translationKey: too long (201 characters, at most 200)"]],
  ],
  ["unknown language", articleText(["title: Hallo", "lang: fr"]), [[3, 'lang: must be "de" or "en", got "fr"']]],
  ["month 13", articleText(["title: Hallo", "date: 2024-13-01"]), [[3, 'date: not a valid date "2024-13-01" (use YYYY-MM-DD or ISO 8601 with time zone)']]],
  ["30 February", articleText(["title: Hallo", "date: 2024-02-30"]), [[3, 'date: not a valid date "2024-02-30" (use YYYY-MM-DD or ISO 8601 with time zone)']]],
  [
    "a time without a time zone",
    articleText(["title: Hallo", "updated: 2024-03-01T10:00"]),
    [[3, 'updated: not a valid date "2024-03-01T10:00" (use YYYY-MM-DD or ISO 8601 with time zone)']],
  ],
  ["a bare year", articleText(["title: Hallo", "date: 2024"]), [[3, 'date: not a valid date "2024" (use YYYY-MM-DD or ISO 8601 with time zone)']]],
  ["draft as yes", articleText(["title: Hallo", "draft: yes"]), [[3, 'draft: must be true or false, got "yes"']]],
  ["comments as on", articleText(["title: Hallo", "comments: on"]), [[3, 'comments: must be "open" or "closed", got "on"']]],
  [
    "slug with spaces",
    articleText(["title: Hallo", "slug: Mein Artikel"]),
    [[3, 'slug: "Mein Artikel" is not a valid slug; use lower-case letters, digits and single hyphens, e.g. "mein-artikel"']],
  ],
  ["tags not a list", articleText(["title: Hallo", "tags: Internet"]), [[3, "tags: must be a list, e.g. [Internet, KMU]"]]],
  ["one tag twice", articleText(["title: Hallo", "tags:", "  - KMU", "  - kmu"]), [[5, 'tags: "kmu" is the same as "KMU"']]],
  [
    "a tag without letters",
    articleText(["title: Hallo", "tags: [Web, 2024, '!!']"]),
    [
      [3, "tags: each entry must be text, got 2024; put it in quotes"],
      [3, 'tags: "!!" needs at least one letter or digit'],
    ],
  ],
  ["alias that is the own slug", articleText(["title: Hallo", "aliases:", "  - alt", "  - hallo"]), [[5, 'aliases: "hallo" is the article\'s own slug']]],
  ["alias listed twice", articleText(["title: Hallo", "aliases: [alt, alt]"]), [[3, 'aliases: "alt" is listed twice']]],
  ["summary too long", articleText(["title: Hallo", `summary: ${"x".repeat(1001)}`]), [[3, "summary: too long (1001 characters, at most 1000)"]]],
  ["summary as a list", articleText(["title: Hallo", "summary: [a, b]"]), [[3, "summary: must be text, got a list"]]],
  ["YAML syntax error", articleText(["title: 'Hallo"]), [[2, "front matter: Missing closing 'quote"]]],
  ["a field twice", articleText(["title: Hallo", "title: Tschüss"]), [[3, "front matter: Map keys must be unique"]]],
  ["front matter that is a list", articleText(["- title", "- Hallo"]), [[2, 'front matter: must be "field: value" lines']]],
  ["empty body", "---\ntitle: Hallo\n---\n\n  \n", [[3, "body: empty; write the article below the closing ---"]]],
  ["a NUL character", articleText(["title: Hallo"], "Eins\n\nZwei\0"), [[7, "file: contains a NUL character (U+0000); remove it"]]],
  [
    "several problems, sorted by line",
    articleText(["lang: fr", "date: soon", "draft: 1"]),
    [
      [2, 'lang: must be "de" or "en", got "fr"'],
      [3, 'date: not a valid date "soon" (use YYYY-MM-DD or ISO 8601 with time zone)'],
      [4, "draft: must be true or false, got 1"],
    ],
  ],
];

describe("parseFrontMatter: bad files", () => {
  it.each(BAD_FILES)("%s", (_name, text, expected) => {
    const result = parseFrontMatter("hallo.md", text, SETTINGS);
    expect(result).toEqual({ ok: false, errors: expected.map(([line, message]) => ({ line, message })) });
  });

  it("needs a slug when the file name has no letters or digits", () => {
    expect(parseFrontMatter("!!!.md", articleText(["title: Hallo"]), SETTINGS)).toEqual({
      ok: false,
      errors: [{ line: 1, message: 'slug: cannot derive one from the file name "!!!.md"; set slug: in the front matter' }],
    });
  });
});

describe("parseSiteDate", () => {
  it.each([
    ["2024-01-15", "2024-01-14T23:00:00.000Z"], // winter: Berlin is UTC+1
    ["2024-07-01", "2024-06-30T22:00:00.000Z"], // summer: UTC+2
    ["2024-03-31", "2024-03-30T23:00:00.000Z"], // the day clocks go forward, at 02:00
    ["2024-10-27", "2024-10-26T22:00:00.000Z"], // the day clocks go back, at 03:00
    ["2024-03-01T10:00:00Z", "2024-03-01T10:00:00.000Z"],
    ["2024-03-01T10:00Z", "2024-03-01T10:00:00.000Z"],
    ["2024-03-01 10:00:30.5+05:30", "2024-03-01T04:30:30.500Z"],
    ["2024-02-29T23:59:59-01:00", "2024-03-01T00:59:59.000Z"],
  ])("%s is %s", (text, iso) => {
    expect(parseSiteDate(text, BERLIN)).toBe(Date.parse(iso));
  });

  it("reads a date-only value in the site's zone, whichever that is", () => {
    expect(parseSiteDate("2024-01-15", "UTC")).toBe(Date.parse("2024-01-15T00:00:00Z"));
    expect(parseSiteDate("2024-01-15", "America/New_York")).toBe(Date.parse("2024-01-15T05:00:00Z"));
  });

  it.each(["2023-02-29", "2024-00-10", "2024-1-5", "15.01.2024", "2024-03-01T24:00Z", "2024-03-01T10:00+15:00", "0999-01-01"])("rejects %s", (text) => {
    expect(parseSiteDate(text, BERLIN)).toBeNull();
  });

  it("formats an instant with the zone's offset, and parses back to it", () => {
    const time = Date.parse("2026-07-01T08:05:00Z");
    expect(formatSiteDate(time, BERLIN)).toBe("2026-07-01T10:05:00+02:00");
    expect(formatSiteDate(time, "America/New_York")).toBe("2026-07-01T04:05:00-04:00");
    expect(parseSiteDate(formatSiteDate(time, BERLIN), BERLIN)).toBe(time);
  });
});

describe("parseFrontMatter: pages", () => {
  it("reads a page's navigation place, order and role, and closes its comments by default", () => {
    const text = articleText(["title: Impressum", "nav: footer", "navOrder: 10", "role: imprint"]);
    const result = parseFrontMatter("pages/impressum.md", text, SETTINGS);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.value.fields).toMatchObject({ slug: "impressum", comments: "closed", page: { nav: "footer", navOrder: 10, role: "imprint" } });
  });

  it("gives a page without navigation fields empty ones, and an article none at all", () => {
    expect(parseFrontMatter("pages/kontakt.md", articleText(["title: Kontakt", "pinned: true"]), SETTINGS)).toEqual({
      ok: false,
      errors: [{ line: 3, message: "pinned: only articles are listed on the home page; remove it from this page" }],
    });
    const page = parseFrontMatter("pages/ueber-uns.md", articleText(["title: Über uns", "comments: open"]), SETTINGS);
    expect(page.ok && page.value.fields).toMatchObject({ comments: "open", page: { nav: null, navOrder: null, role: null } });
    const article = parseFrontMatter("ueber-uns.md", articleText(["title: Über uns"]), SETTINGS);
    expect(article.ok && "page" in article.value.fields).toBe(false);
  });

  it.each([
    ["nav: sidebar", 'nav: must be "header" or "footer", got "sidebar"'],
    ["navOrder: 1.5", "navOrder: must be a whole number, e.g. 10, got 1.5"],
    ["navOrder: zehn", 'navOrder: must be a whole number, e.g. 10, got "zehn"'],
    ["role: legal", 'role: must be "imprint" or "privacy", got "legal"'],
    ["navorder: 3", 'navorder: unknown field; did you mean "navOrder"?'],
  ])("refuses %s on a page", (line, message) => {
    expect(parseFrontMatter("pages/impressum.md", articleText(["title: Impressum", line]), SETTINGS)).toEqual({ ok: false, errors: [{ line: 3, message }] });
  });

  it("refuses page fields in an article, saying where pages live", () => {
    expect(parseFrontMatter("impressum.md", articleText(["title: Impressum", "role: imprint"]), SETTINGS)).toEqual({
      ok: false,
      errors: [{ line: 3, message: "role: only pages have this field; move the file into pages/" }],
    });
  });
});

describe("parseFrontMatter: keys named like prototype properties", () => {
  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "prototype", "valueOf"])("reports %s as an unknown field", (key) => {
    const result = parseFrontMatter("hallo.md", articleText(["title: Hallo", `${key}: x`]), SETTINGS);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual([{ line: 3, message: expect.stringMatching(new RegExp(`^${key}: unknown field; `)) }]);
  });
});

describe("parseFrontMatter: YAML aliases", () => {
  it("reads a field given through an alias", () => {
    const result = parseFrontMatter("hallo.md", articleText(["title: &t Hallo", "summary: *t"]), SETTINGS);
    expect(result.ok && result.value.fields.summary).toBe("Hallo");
  });

  it("refuses aliases that expand past yaml's limit (billion laughs) with a message, not a crash", () => {
    const anchors = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"];
    for (let i = 1; i < 8; i++)
      anchors.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(", ")}]`,
      );
    const result = parseFrontMatter("hallo.md", articleText(["title: Hallo", ...anchors, "tags: *a7"]), SETTINGS);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.at(-1)).toEqual({ line: 11, message: "tags: too many YAML aliases (*name); write the value out" });
  });
});
