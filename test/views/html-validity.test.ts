import { env } from "cloudflare:test";
import { HtmlValidate, StaticConfigLoader } from "html-validate/browser";
import { describe, expect, it } from "vitest";
import { buildDataLink } from "../../src/comments/data-link";
import { ownCommentPath, signModerationHash } from "../../src/comments/own-comment";
import { insertArticle, insertPage, uniqueSlug } from "../helpers/articles";
import { insertComment } from "../helpers/comments";
import { get } from "../helpers/http";

const validator = new HtmlValidate(
  new StaticConfigLoader({
    extends: ["html-validate:recommended"],
    rules: {
      // hono/jsx writes void elements as <meta/>; both forms are valid HTML.
      "void-style": "off",
      // It writes boolean attributes as required="": valid HTML, only a style choice.
      "attribute-boolean-style": "off",
      // Stylistic: German and English typography use typographic quotes in text.
      "no-trailing-whitespace": "off",
    },
  }),
);

async function validate(path: string, expectedStatus: number): Promise<void> {
  const res = await get(path);
  expect(res.status, path).toBe(expectedStatus);
  const report = await validator.validateString(await res.text());
  const errors = report.results.flatMap((r) => r.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
  expect(errors, path).toEqual([]);
}

describe("the HTML validates with html-validate", () => {
  it("has no errors on home, article, tag and error pages", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertArticle({
      bodyMd: "![Bild](/media/x.svg)\n\n## Zwischentitel\n\n1. eins\n2. zwei\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n> Zitat",
      summary: "Kurz gesagt.",
      author: "Agenturteam",
      tags: [{ slug: tag, name: "Prüfung" }],
    });
    await validate("/", 200);
    await validate(`/articles/${slug}`, 200);
    await validate(`/tags/${tag}`, 200);
    await validate("/gibt-es-nicht", 404);
    await validate("/?page=x", 400);
  });

  it("has no errors on an article with embeds, a gallery, footnotes and a quote with its source", async () => {
    const { slug } = await insertArticle({
      bodyMd: [
        "Text mit Fußnote[^1].",
        "",
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "",
        "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
        "",
        '![Eins](/media/eins.jpg "Erstes")',
        "![Zwei](/media/zwei.jpg)",
        "",
        "> Zitat",
        ">",
        "> — <cite>Jemand</cite>",
        "",
        "[^1]: Die Notiz.",
      ].join("\n"),
    });
    await validate(`/articles/${slug}`, 200);
  });

  it("has no errors on a static page and on pages with header and footer navigation and the privacy notice", async () => {
    const page = await insertPage({ title: "Über uns", nav: "header", navOrder: 1, bodyMd: "## Wer wir sind\n\nText." });
    await insertPage({ title: "Impressum", role: "imprint" });
    await insertPage({ title: "Datenschutz", role: "privacy", nav: "footer" });
    await insertPage({ lang: "en", title: "About", nav: "header", navOrder: 2 });
    const { slug } = await insertArticle();
    await validate(`/${page.slug}`, 200);
    await validate("/", 200);
    await validate(`/articles/${slug}`, 200);
    await validate("/gibt-es-nicht", 404);
    await validate("/admin/login", 200);
  });

  it("has no errors with the head's feed links, Open Graph, JSON-LD and hreflang", async () => {
    const key = uniqueSlug("key");
    const tag = uniqueSlug("tag");
    const de = await insertArticle({
      title: `Übersetzt </script> & "zitiert"`,
      bodyMd: "![Bild](/media/x.svg)\n\nText.",
      summary: "Mit <Zeichen> & Übersetzung.",
      author: "Agenturteam",
      translationKey: key,
      tags: [{ slug: tag, name: "Übersetzung" }],
    });
    const en = await insertArticle({ lang: "en", title: "Translated", translationKey: key, comments: "closed" });
    await validate(`/articles/${de.slug}`, 200);
    await validate(`/articles/${en.slug}`, 200);
    await validate(`/tags/${tag}`, 200);
  });

  it("has no errors on the submitter's page: their waiting reply in its thread, or the note while it is processed", async () => {
    const { id, slug } = await insertArticle();
    const parent = await insertComment(id, "approved", "Die Frage.");
    const waiting = await insertComment(id, "pending", "Meine Antwort.", parent);
    for (const comment of [waiting, crypto.randomUUID()]) {
      const link = ownCommentPath(slug, comment, await signModerationHash(env.FORM_SECRET, comment, Date.now()));
      await validate(link.replace(/#.*/, ""), 200);
    }
  });

  it("has no errors on search, archive and tag index pages", async () => {
    const tag = uniqueSlug("tag");
    const { slug } = await insertArticle({ title: "Suchbar <em>", bodyMd: "Ein Text über Suchmaschinen & <script>.", tags: [{ slug: tag, name: "Suche" }] });
    await validate("/search", 200);
    await validate("/search?q=suchmaschinen", 200);
    await validate(`/search?q=${encodeURIComponent('"<img src=x>" nichts')}`, 200);
    await validate(`/search?q=${"x".repeat(201)}`, 400);
    await validate("/archive", 200);
    const month = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin", year: "numeric", month: "2-digit" }).format(Date.now() - 3_600_000);
    await validate(`/archive/${month.replace("-", "/")}`, 200);
    await validate("/tags", 200);
    expect(slug).toBeTruthy();
  });

  it("has no errors on the commenters' data pages: the request form, the list, the erasure's confirmation, a refused link", async () => {
    const { id } = await insertArticle({ title: "Daten <em>" });
    const email = `valid.${crypto.randomUUID().slice(0, 8)}@example.com`;
    const cid = await insertComment(id, "approved", "Mein <b>Kommentar</b> & mehr");
    await env.DB.prepare("UPDATE comments SET email = ?, ip_hash = 'hash', user_agent = 'UA <x>', url = 'https://a.example/' WHERE id = ?")
      .bind(email, cid)
      .run();
    const link = await buildDataLink("", env.FORM_SECRET, email, Date.now());
    await validate("/my-data", 200);
    await validate(link, 200);
    await validate(link.replace("/open?", "/erase?"), 200);
    await validate("/my-data/open?t=kaputt", 403);
  });
});
