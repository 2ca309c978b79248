// An import is one transaction: posts, comments and redirects land together
// in a real local D1 (real wrangler), or none of them does and the content
// folder is as it was. Text that speaks of SQL transactions goes through
// wrangler's file handling whole.
import { readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { sqlString } from "../../../src/db/sql-text";
import { escapeHtml } from "../../../src/lib/html";
import type { CliIo } from "../../../tools/lib/terminal-io";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { createWorkspace } from "../helpers/workspace";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const SQL_WORDS = "Wer SQL kennt, schreibt BEGIN TRANSACTION; und später COMMIT; – und BEGIN TRANSACTION; noch einmal.";

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

interface Post {
  id: number;
  name: string;
  title: string;
  body: string;
  comments: { id: number; author: string; text: string }[];
}

/** A WordPress export (WXR 1.2) of these posts, each with its approved comments. */
function wxr(posts: Post[]): string {
  const cdata = (text: string) => `<![CDATA[${text}]]>`;
  const items = posts.map(
    (p) => `<item>
  <title>${cdata(p.title)}</title>
  <link>https://alt.example/?p=${p.id}</link>
  <dc:creator>admin</dc:creator>
  <content:encoded>${cdata(p.body)}</content:encoded>
  <excerpt:encoded>${cdata("")}</excerpt:encoded>
  <wp:post_id>${p.id}</wp:post_id>
  <wp:post_date>2020-03-01 10:00:00</wp:post_date>
  <wp:post_date_gmt>2020-03-01 09:00:00</wp:post_date_gmt>
  <wp:comment_status>open</wp:comment_status>
  <wp:post_name>${p.name}</wp:post_name>
  <wp:status>publish</wp:status>
  <wp:post_parent>0</wp:post_parent>
  <wp:post_type>post</wp:post_type>
  <wp:post_password></wp:post_password>
${p.comments
  .map(
    (c) => `  <wp:comment>
    <wp:comment_id>${c.id}</wp:comment_id>
    <wp:comment_author>${cdata(c.author)}</wp:comment_author>
    <wp:comment_author_email>leser${c.id}@example.com</wp:comment_author_email>
    <wp:comment_author_url></wp:comment_author_url>
    <wp:comment_author_IP>192.0.2.${c.id % 200}</wp:comment_author_IP>
    <wp:comment_date>2020-03-02 10:00:00</wp:comment_date>
    <wp:comment_date_gmt>2020-03-02 09:00:00</wp:comment_date_gmt>
    <wp:comment_content>${cdata(c.text)}</wp:comment_content>
    <wp:comment_approved>1</wp:comment_approved>
    <wp:comment_type>comment</wp:comment_type>
    <wp:comment_parent>0</wp:comment_parent>
  </wp:comment>`,
  )
  .join("\n")}
</item>`,
  );
  return `<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
  <title>Altes Blog</title>
  <link>https://alt.example</link>
  <language>de-DE</language>
  <wp:wxr_version>1.2</wp:wxr_version>
  <wp:base_site_url>https://alt.example</wp:base_site_url>
  <wp:base_blog_url>https://alt.example</wp:base_blog_url>
  ${items.join("\n")}
</channel>
</rss>
`;
}

async function runImport(exportText: string, name: string) {
  const file = path.join(tmp, name);
  await writeFile(file, exportText);
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), confirm: async () => true };
  const code = await runImportWordPress([file, "--yes", "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, output: out.join("\n") };
}

const counts = async () => {
  const [rows = []] = await queryD1(
    target,
    "SELECT (SELECT count(*) FROM articles) AS articles, (SELECT count(*) FROM comments) AS comments, (SELECT count(*) FROM redirects) AS redirects",
  );
  return rows[0];
};
const listContent = async () => ((await readdir(content, { recursive: true }).catch(() => [])) as string[]).sort();

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("wordpress-apply-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("applying an import", () => {
  it("rolls back whole when its last statement fails: no post, comment, redirect or file is left behind", async () => {
    const posts: Post[] = [
      { id: 11, name: "erster-beitrag", title: "Erster Beitrag", body: "<p>Eins.</p>", comments: [{ id: 101, author: "Anna", text: "Schön." }] },
      { id: 12, name: "zweiter-beitrag", title: "Zweiter Beitrag", body: "<p>Zwei.</p>", comments: [] },
    ];
    // D1 refuses the redirects, which come last in the import's one file.
    await queryD1(target, "CREATE TRIGGER refuse_redirects BEFORE INSERT ON redirects BEGIN SELECT RAISE(ABORT, 'redirects refused by the test'); END;");
    const failed = await runImport(wxr(posts), "scheitert.xml");
    expect(failed.code, failed.output).toBe(1);
    expect(failed.output).toContain("redirects refused by the test");
    expect(failed.output).toContain("Nothing was written.");
    expect(await counts()).toEqual({ articles: 0, comments: 0, redirects: 0 });
    expect(await listContent()).toEqual([]);

    await queryD1(target, "DROP TRIGGER refuse_redirects;");
    const again = await runImport(wxr(posts), "gelingt.xml");
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain("Applying the articles, comments and redirects in one transaction");
    expect(await counts()).toMatchObject({ articles: 2, comments: 1 });
    expect(await listContent()).toEqual(["erster-beitrag.md", "zweiter-beitrag.md"]);
  });

  it("imports a post and comments that say BEGIN TRANSACTION; and COMMIT;, and the Worker shows those words", async () => {
    const posts: Post[] = [
      {
        id: 21,
        name: "transaktionen",
        title: "BEGIN TRANSACTION; erklärt",
        body: `<p>${escapeHtml(SQL_WORDS)}</p>`,
        comments: [
          { id: 201, author: "Bert", text: SQL_WORDS },
          { id: 202, author: "COMMIT; Carla", text: "Nur COMMIT; und dann BEGIN TRANSACTION;" },
        ],
      },
    ];
    const result = await runImport(wxr(posts), "transaktionen.xml");
    expect(result.code, result.output).toBe(0);
    const [[article] = [], comments = []] = (await queryD1(
      target,
      `SELECT title, body_md FROM articles WHERE slug = 'transaktionen'; SELECT author, body_raw FROM comments WHERE article_id = (SELECT id FROM articles WHERE slug = ${sqlString("transaktionen")}) ORDER BY author`,
    )) as Record<string, string>[][];
    expect(article?.title).toBe("BEGIN TRANSACTION; erklärt");
    expect(article?.body_md).toContain(SQL_WORDS);
    expect(comments).toEqual([
      { author: "Bert", body_raw: SQL_WORDS },
      { author: "COMMIT; Carla", body_raw: "Nur COMMIT; und dann BEGIN TRANSACTION;" },
    ]);
    expect(await readFile(path.join(content, "transaktionen.md"), "utf8")).toContain(SQL_WORDS);

    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      const page = await worker.fetch("http://blog.test/articles/transaktionen");
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(escapeHtml(SQL_WORDS));
      expect(html).toContain("BEGIN TRANSACTION; erklärt");
      expect(html).toContain("Nur COMMIT; und dann BEGIN TRANSACTION;");
    } finally {
      await worker.dispose();
    }
  });
});
