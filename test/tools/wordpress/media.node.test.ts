// Uploads with --media: referenced files (size variants too) are found in the
// old uploads folder, links rewritten to /media/…, old upload URLs redirected;
// without --media the links stay absolute and are listed. Planning only: no D1.
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planImport } from "../../../tools/wordpress/import-plan";
import { createMediaMapper } from "../../../tools/wordpress/media";

let tmp = "";
let uploads = "";

const EXPORT = `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/">
<channel><title>Alt</title><link>https://alt.test</link><language>de-DE</language><wp:wxr_version>1.2</wp:wxr_version>
<wp:base_blog_url>https://alt.test</wp:base_blog_url>
<item><title>Über uns</title><link>https://alt.test/%c3%bcber-uns/</link><dc:creator>anna</dc:creator>
<content:encoded><![CDATA[Wir sind da.

<img src="https://alt.test/wp-content/uploads/2020/01/team-300x200.jpg" alt="Team" />

<a href="https://alt.test/wp-content/uploads/2020/01/preise.pdf">Preise</a> und <img src="https://alt.test/wp-content/uploads/2020/01/fehlt.png" alt="" />]]></content:encoded>
<excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>5</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt>
<wp:comment_status>closed</wp:comment_status><wp:post_name>%c3%bcber-uns</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type><wp:post_password></wp:post_password></item>
<item><title>Datenschutzerklärung</title><link>https://alt.test/datenschutzerklaerung/</link><content:encoded><![CDATA[Text]]></content:encoded>
<wp:post_id>6</wp:post_id><wp:post_date_gmt>2020-01-02 10:00:00</wp:post_date_gmt><wp:post_name>datenschutzerklaerung</wp:post_name><wp:status>publish</wp:status><wp:post_type>page</wp:post_type></item>
</channel></rss>`;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "wordpress-media-"));
  uploads = path.join(tmp, "uploads");
  await mkdir(path.join(uploads, "2020", "01"), { recursive: true });
  await writeFile(path.join(uploads, "2020", "01", "team.jpg"), "original");
  await writeFile(path.join(uploads, "2020", "01", "preise.pdf"), "pdf");
  await writeFile(path.join(tmp, "export.xml"), EXPORT);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

async function plan(uploadsDir: string | null, name: string) {
  const stagingDir = path.join(tmp, `staging-${name}`);
  const result = await planImport({
    exportFile: path.join(tmp, "export.xml"),
    contentDir: path.join(tmp, "content-none"),
    uploadsDir,
    pingbacks: false,
    settings: { defaultLang: "de", timeZone: "Europe/Berlin" },
    ipSalt: null,
    stagingDir,
    now: Date.UTC(2026, 0, 1),
  });
  return { result, page: await readFile(path.join(result.stagedFiles, "pages", "ueber-uns.md"), "utf8") };
}

describe("media", () => {
  it("copies referenced uploads, using the original when a size variant is missing, and rewrites the links", async () => {
    const { result, page } = await plan(uploads, "media");
    expect(page).toContain("![Team](/media/2020/01/team.jpg)");
    expect(page).toContain("[Preise](/media/2020/01/preise.pdf)");
    expect(page).toContain("https://alt.test/wp-content/uploads/2020/01/fehlt.png");
    expect(result.media.copies.map((c) => c.relative).sort()).toEqual(["2020/01/preise.pdf", "2020/01/team.jpg"]);
    expect(result.media.missing).toEqual(["https://alt.test/wp-content/uploads/2020/01/fehlt.png"]);
    const redirects = Object.fromEntries(result.redirects);
    expect(redirects["/wp-content/uploads/2020/01/team-300x200.jpg"]).toBe("/media/2020/01/team.jpg");
    expect(redirects["/wp-content/uploads/2020/01/preise.pdf"]).toBe("/media/2020/01/preise.pdf");
    expect(redirects["/über-uns"]).toBe("/ueber-uns");
    expect(redirects["/?page_id=5"]).toBe("/ueber-uns");
  });

  it("leaves the links absolute without --media, and lists them", async () => {
    const { result, page } = await plan(null, "none");
    expect(page).toContain("https://alt.test/wp-content/uploads/2020/01/team-300x200.jpg");
    expect(result.media.copies).toEqual([]);
    expect(result.media.absolute).toHaveLength(3);
  });

  it("takes the privacy page by its slug, and writes the page with the German channel language", async () => {
    const { result, page } = await plan(null, "roles");
    expect(result.roles.privacy?.path).toBe("pages/datenschutzerklaerung.md");
    expect(result.roles.imprint).toBeUndefined();
    expect(page).toContain("lang: de");
    expect(page).toContain("comments: closed");
    expect(result.errors).toEqual([]);
  });

  it("never leaves the uploads folder", () => {
    const mapper = createMediaMapper(uploads);
    const url = "https://alt.test/wp-content/uploads/../../etc/passwd";
    expect(mapper.rewrite(`<img src="${url}">`)).toBe(`<img src="${url}">`);
    expect(mapper.copies()).toEqual([]);
  });
});
