// npm run bench:import [-- --posts 1000 --comments 10000 --mb 0 --dry-run]:
// generates a WordPress export (streamed to a temporary file), then imports it
// with the real command into a fresh temporary content folder and local D1
// (migrations applied first, publish and wrangler d1 execute included), and
// prints the time and this process's peak memory (maxRSS). With --mb N the
// posts get longer until the export is about N MB.
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { applyMigrations } from "../tools/lib/wrangler";
import type { CliIo } from "../tools/publish/publish-command";
import { runImportWordPress } from "../tools/wordpress/import-command";

const { values } = parseArgs({
  options: {
    posts: { type: "string", default: "1000" },
    comments: { type: "string", default: "10000" },
    mb: { type: "string", default: "0" },
    "dry-run": { type: "boolean", default: false },
  },
});
const POSTS = Number(values.posts);
const COMMENTS = Number(values.comments);
const TARGET_BYTES = Number(values.mb) * 1024 * 1024;
const WORDS = "Kommunikation Kunden Website Zeit Geld Netz Technik Telefon Nachricht Reichweite Liste Bild Seite Schrift".split(" ");

function paragraph(i: number, n: number): string {
  return `<p>${Array.from({ length: 60 }, (_, k) => WORDS[(i * 7 + n * 3 + k) % WORDS.length]).join(" ")}.</p>`;
}

function content(i: number, paragraphs: number): string {
  const parts = [paragraph(i, 0), `<h2>Abschnitt ${i}</h2>`, "<ul><li>eins</li><li><strong>zwei</strong></li></ul>"];
  parts.push(
    `[caption id="attachment_${i}" width="300"]<img src="https://alt.example/wp-content/uploads/2020/01/bild-${i}-300x200.jpg" alt="Bild ${i}" /> Bild ${i}[/caption]`,
  );
  parts.push("<table><thead><tr><th>A</th><th>B</th></tr></thead><tbody><tr><td>1</td><td>2</td></tr></tbody></table>");
  for (let n = 1; n < paragraphs; n++) parts.push(paragraph(i, n));
  return parts.join("\n");
}

function comment(post: number, c: number, id: number, parent: number): string {
  const date = new Date(Date.UTC(2020, 0, 1) + post * 86_400_000 + c * 60_000).toISOString().replace("T", " ").slice(0, 19);
  return `<wp:comment><wp:comment_id>${id}</wp:comment_id><wp:comment_author><![CDATA[Leser ${id}]]></wp:comment_author><wp:comment_author_email>leser${id}@example.com</wp:comment_author_email><wp:comment_author_url>https://leser${id}.example</wp:comment_author_url><wp:comment_author_IP>192.0.2.${id % 250}</wp:comment_author_IP><wp:comment_date>${date}</wp:comment_date><wp:comment_date_gmt>${date}</wp:comment_date_gmt><wp:comment_content><![CDATA[Kommentar ${id} zu Beitrag ${post}: <b>danke</b> für den Text.\n\nZweiter Absatz.]]></wp:comment_content><wp:comment_approved>${id % 10 === 0 ? "0" : "1"}</wp:comment_approved><wp:comment_type></wp:comment_type><wp:comment_parent>${parent}</wp:comment_parent></wp:comment>`;
}

function item(i: number, paragraphs: number, commentIds: number[]): string {
  const date = new Date(Date.UTC(2015, 0, 1) + i * 86_400_000).toISOString().replace("T", " ").slice(0, 19);
  const slug = `beitrag-${i}`;
  const comments = commentIds.map((id, c) => comment(i, c, id, c % 3 === 2 ? (commentIds[c - 1] ?? 0) : 0)).join("");
  return `<item><title>Beitrag ${i}</title><link>https://alt.example/${date.slice(0, 4)}/${date.slice(5, 7)}/${slug}/</link><dc:creator>anna</dc:creator><guid isPermaLink="false">https://alt.example/?p=${i + 10}</guid><content:encoded><![CDATA[${content(i, paragraphs)}]]></content:encoded><excerpt:encoded><![CDATA[]]></excerpt:encoded><wp:post_id>${i + 10}</wp:post_id><wp:post_date>${date}</wp:post_date><wp:post_date_gmt>${date}</wp:post_date_gmt><wp:post_modified_gmt>${date}</wp:post_modified_gmt><wp:comment_status>open</wp:comment_status><wp:post_name>${slug}</wp:post_name><wp:status>publish</wp:status><wp:post_parent>0</wp:post_parent><wp:post_type>post</wp:post_type><wp:post_password></wp:post_password><wp:is_sticky>0</wp:is_sticky><category domain="category" nicename="thema-${i % 12}"><![CDATA[Thema ${i % 12}]]></category><category domain="post_tag" nicename="tag-${i % 30}"><![CDATA[Tag ${i % 30}]]></category>${comments}</item>\n`;
}

async function generate(file: string): Promise<number> {
  const out = createWriteStream(file);
  const write = (text: string) => new Promise<void>((resolve) => (out.write(text) ? resolve() : out.once("drain", () => resolve())));
  await write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/"><channel><title>Alt</title><link>https://alt.example</link><language>de-DE</language><wp:wxr_version>1.2</wp:wxr_version><wp:base_site_url>https://alt.example</wp:base_site_url><wp:base_blog_url>https://alt.example</wp:base_blog_url><wp:author><wp:author_login>anna</wp:author_login><wp:author_display_name><![CDATA[Anna Beispiel]]></wp:author_display_name></wp:author>\n`,
  );
  const baseBytes = POSTS * 5_000 + COMMENTS * 700;
  const paragraphs = TARGET_BYTES > baseBytes ? Math.ceil((TARGET_BYTES - baseBytes) / POSTS / 520) + 3 : 3;
  let nextComment = 1;
  for (let i = 0; i < POSTS; i++) {
    const count = Math.floor(((i + 1) * COMMENTS) / POSTS) - Math.floor((i * COMMENTS) / POSTS);
    const ids = Array.from({ length: count }, () => nextComment++);
    await write(item(i, paragraphs, ids));
  }
  await write("</channel></rss>\n");
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return (await stat(file)).size;
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "bench-import-"));
  try {
    const exportFile = path.join(tmp, "export.xml");
    const content = path.join(tmp, "content");
    const d1 = path.join(tmp, "d1");
    await mkdir(content);
    const size = await generate(exportFile);
    await applyMigrations({ remote: false, persistTo: d1 });
    const out: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), confirm: async () => false };
    const rssBefore = process.resourceUsage().maxRSS;
    const start = performance.now();
    const args = [exportFile, "--local", "--persist-to", d1, "--content", content, ...(values["dry-run"] ? ["--dry-run"] : [])];
    const code = await runImportWordPress(args, io);
    const ms = performance.now() - start;
    if (code !== 0) throw new Error(`import failed:\n${out.slice(-30).join("\n")}`);
    const summary = out.filter((l) => /^(Posts|Comments|Redirects|Published|Applied)/.test(l));
    console.log(`Export: ${POSTS} posts, ${COMMENTS} comments, ${(size / 1024 / 1024).toFixed(1)} MB`);
    for (const line of summary) console.log(`  ${line}`);
    console.log(`${values["dry-run"] ? "Planned (dry run)" : "Imported and published"} in ${(ms / 1000).toFixed(1)} s`);
    console.log(
      `Peak memory (maxRSS of this process): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (${(rssBefore / 1024).toFixed(0)} MB before the import)`,
    );
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
