// The privacy page's processing section, written by the Worker from the
// settings in force where the page carries <!-- blog:processing -->: in the
// page's language and the site's form of address, following each setting,
// and carried under the "settings" cache tag that a deploy purges.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { parse } from "parse5";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { PROCESSING_MARKER } from "../../src/legal/processing-section";
import { insertPage, uniqueSlug } from "../helpers/articles";
import { ORIGIN } from "../helpers/http";

const PRIVACY_MD = `## Verantwortlicher\n\nMuster GmbH, Musterweg 1, 12345 Musterstadt\n\n${PROCESSING_MARKER}\n\n## Ihre Rechte\n\nAuskunft, Löschung, Widerspruch.`;

/** The page as the Worker answers it with these vars over the test's own. */
async function fetchWith(path: string, vars: Record<string, string> = {}) {
  const ctx = createExecutionContext();
  const res = await worker.fetch(new Request(`${ORIGIN}${path}`), { ...env, ...vars }, ctx);
  const html = await res.text();
  await waitOnExecutionContext(ctx);
  return { res, html, text: visibleText(html) };
}

/** The text a reader sees in the page's main element (comments and tags dropped), whitespace folded. */
function visibleText(html: string): string {
  type Node = { nodeName: string; value?: string; childNodes?: Node[]; content?: Node };
  const parts: string[] = [];
  const walk = (node: Node, inMain: boolean) => {
    const main = inMain || node.nodeName === "main";
    if (node.nodeName === "#text" && main) parts.push(node.value ?? "");
    if (node.nodeName === "script" || node.nodeName === "style") return;
    for (const child of node.content?.childNodes ?? node.childNodes ?? []) walk(child, main);
  };
  walk(parse(html) as unknown as Node, false);
  return parts.join(" ").replace(/\s+/g, " ");
}

describe("the privacy page's processing section", () => {
  it("states the settings in force where the marker stands, between the page's own sections", async () => {
    const { slug } = await insertPage({ slug: uniqueSlug("datenschutz"), role: "privacy", bodyMd: PRIVACY_MD });
    const { res, html, text } = await fetchWith(`/${slug}`, { EMAIL_FROM: "blog@agentur.example", MODERATION_EMAIL: "redaktion@agentur.example" });
    expect(res.status).toBe(200);
    expect(html).not.toContain(PROCESSING_MARKER);
    expect(text).toMatch(/Muster GmbH.*Hosting.*Cloudflare Workers.*Kommentare.*E-Mails.*Ihre Rechte/);
    expect(text).toContain("beides löschen wir nach 7 Tagen");
    expect(text).toContain("nach 30 Tagen endgültig gelöscht");
    expect(text).toContain("von der Adresse blog@agentur.example");
    expect(text).toContain("informiert das Blog die Redaktion per E-Mail");
    expect(text).toContain("Jeder Kommentar wird vor der Veröffentlichung");
    // The commenters' own page, where they see, download and erase their data.
    expect(html).toContain('<a href="/my-data">Meine Daten</a>');
    expect(res.headers.get("cache-tag")?.split(",")).toContain("settings");
  });

  it("changes when a setting changes: IP hash days, spam retention, no mail, first-time moderation, a webhook", async () => {
    const { slug } = await insertPage({ slug: uniqueSlug("datenschutz"), role: "privacy", bodyMd: PRIVACY_MD });
    const { text } = await fetchWith(`/${slug}`, {
      IP_HASH_RETENTION_DAYS: "1",
      COMMENT_EXPIRE_DAYS: "0",
      EMAIL_FROM: "",
      COMMENT_MODERATION: "first_time",
      MODERATION_WEBHOOK_URL: "https://hooks.example.net/blog?x=<b>",
    });
    expect(text).toContain("beides löschen wir nach 1 Tag.");
    expect(text).toContain("bleiben gespeichert, bis die Redaktion sie löscht");
    expect(text).toContain("Das Blog versendet keine E-Mails.");
    expect(text).not.toContain("Cloudflare Email Service");
    expect(text).toContain("Dein erster Kommentar wird");
    expect(text).toContain("meldet das Blog an hooks.example.net");
  });

  it("speaks the site's register in German and English on an English page", async () => {
    const de = await insertPage({ slug: uniqueSlug("datenschutz"), role: "privacy", bodyMd: PRIVACY_MD });
    const informal = await fetchWith(`/${de.slug}`);
    const formal = await fetchWith(`/${de.slug}`, { FORM_OF_ADDRESS: "formal" });
    expect(informal.text).toContain("Wenn du einen Kommentar schreibst, speichern wir deinen Namen");
    expect(formal.text).toContain("Wenn Sie einen Kommentar schreiben, speichern wir Ihren Namen");
    expect(formal.text).not.toMatch(/\b(du|dein|deine|deinen|dir|dich)\b/);
    const en = await insertPage({ slug: uniqueSlug("privacy"), role: "privacy", lang: "en", bodyMd: `## Controller\n\nExample Ltd.\n\n${PROCESSING_MARKER}` });
    const english = await fetchWith(`/${en.slug}`, { FORM_OF_ADDRESS: "formal" });
    expect(english.text).toContain("When you write a comment, we store your name");
    expect(english.text).toContain("both are deleted after 7 days");
    expect(english.text).not.toContain("Kommentar");
  });

  it("is not written into a page without the privacy role, nor where the privacy page has no marker", async () => {
    const other = await insertPage({ slug: uniqueSlug("ueber-uns"), bodyMd: `Über uns.\n\n${PROCESSING_MARKER}` });
    const plain = await fetchWith(`/${other.slug}`);
    expect(plain.text).not.toContain("Cloudflare Workers");
    expect(plain.res.headers.get("cache-tag")?.split(",")).not.toContain("settings");
    const own = await insertPage({ slug: uniqueSlug("datenschutz"), role: "privacy", bodyMd: "Unser eigener Text, ohne Abschnitt des Blogs." });
    const ownText = await fetchWith(`/${own.slug}`);
    expect(ownText.text).toContain("Unser eigener Text");
    expect(ownText.text).not.toContain("Cloudflare Workers");
    expect(ownText.res.headers.get("cache-tag")?.split(",")).not.toContain("settings");
  });

  it("states no wrong figure: with a bad IP_HASH_RETENTION_DAYS the page is the configuration error page (503)", async () => {
    const { slug } = await insertPage({ slug: uniqueSlug("datenschutz"), role: "privacy", bodyMd: PRIVACY_MD });
    const { res, html } = await fetchWith(`/${slug}`, { IP_HASH_RETENTION_DAYS: "forever" });
    expect(res.status).toBe(503);
    expect(html).not.toContain("Cloudflare Workers");
  });
});
