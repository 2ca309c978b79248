// npm run bench:publish: publishes 1,000 generated articles into a fresh
// temporary local D1 (migrations applied first) and times it, then plans the
// unchanged set again and times that. Both runs are the real command
// (wrangler d1 execute --local included), in this process.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations } from "../tools/lib/wrangler";
import { type CliIo, runPublish } from "../tools/publish/publish-command";

const COUNT = Number(process.env.BENCH_ARTICLES ?? 1_000);
const TAGS = ["Web", "KMU", "Newsletter", "Performance", "Design", "SEO", "Social Media", "Datenschutz", "Fotografie", "Texte"];
const WORDS = "Kommunikation Kunden Website Zeit Geld Netz Technik Telefon Nachricht Reichweite Liste Bild Seite Schrift".split(" ");

function generateArticle(i: number): string {
  const word = (n: number) => WORDS[(i * 7 + n * 3) % WORDS.length] ?? "Wort";
  const paragraph = (n: number) => `${Array.from({ length: 40 }, (_, k) => word(n + k)).join(" ")}.`;
  const tags = [TAGS[i % TAGS.length], TAGS[(i * 3 + 1) % TAGS.length]].filter((t, k, all) => all.indexOf(t) === k);
  const date = new Date(Date.UTC(2015, 0, 1) + i * 3 * 86_400_000).toISOString().slice(0, 10);
  return [
    "---",
    `title: "Artikel ${i}: ${word(1)} und ${word(2)}"`,
    `date: ${date}`,
    `summary: "Worum es in Artikel ${i} geht."`,
    `tags: [${tags.join(", ")}]`,
    ...(i % 10 === 0 ? [`aliases: [alt-${i}]`] : []),
    "---",
    "",
    paragraph(1),
    "",
    `## ${word(3)}`,
    "",
    paragraph(2),
    "",
    `- ${word(4)}\n- **${word(5)}**\n- [${word(6)}](https://example.com/${i})`,
    "",
    paragraph(3),
    "",
  ].join("\n");
}

async function timePublish(args: string[]): Promise<{ ms: number; code: number; out: string[] }> {
  const out: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => out.push(l), confirm: async () => false };
  const start = performance.now();
  const code = await runPublish(args, io);
  return { ms: performance.now() - start, code, out };
}

async function main(): Promise<void> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "bench-publish-"));
  try {
    const content = path.join(tmp, "content");
    const d1 = path.join(tmp, "d1");
    await mkdir(content);
    await Promise.all(Array.from({ length: COUNT }, (_, i) => writeFile(path.join(content, `artikel-${i}.md`), generateArticle(i))));
    await applyMigrations({ remote: false, persistTo: d1 });
    const args = ["--local", "--persist-to", d1, "--content", content, "--yes"];
    const first = await timePublish(args);
    if (first.code !== 0) throw new Error(`publish failed:\n${first.out.join("\n")}`);
    const second = await timePublish(args);
    if (second.code !== 0 || !second.out.includes(`0 new, 0 changed, ${COUNT} unchanged.`))
      throw new Error(`re-plan was not all unchanged:\n${second.out.join("\n")}`);
    const sqlSize = /\((\d+ KiB) of SQL\)/.exec(first.out.join("\n"))?.[1] ?? "?";
    const files = first.out.filter((l) => l.startsWith("Applying")).length;
    console.log(
      `Publish ${COUNT} new articles into a fresh local D1: ${(first.ms / 1000).toFixed(2)} s (${sqlSize} of SQL in ${files} file${files === 1 ? "" : "s"})`,
    );
    console.log(`Plan the same ${COUNT} unchanged articles again:    ${(second.ms / 1000).toFixed(2)} s (nothing written)`);
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

await main();
