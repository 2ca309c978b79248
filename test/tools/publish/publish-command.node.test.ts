// The publish command end to end: the real `wrangler d1 execute --local`
// against a temporary local D1, then the article read back through the Worker.
import { mkdir, readFile, rm, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unstable_startWorker } from "wrangler";
import { renderArticleHtml } from "../../../src/articles/markdown";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import { type CliIo, runPublish } from "../../../tools/publish/publish-command";
import { createWorkspace } from "../helpers/workspace";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const BODY = [
  "Erster Absatz mit *Betonung* und 'Zitat'.",
  "",
  "## Abschnitt",
  "",
  "Wer SQL kennt, schreibt BEGIN TRANSACTION; und später COMMIT; ohne Sorge.",
].join("\n");
const FILES: Record<string, string> = {
  "hallo-welt.md": `---\ntitle: Hallo Welt\ndate: 2024-05-01\ntags: [Web]\naliases: [hallo]\n---\n\n${BODY}\n`,
  "kommt-noch.md": "---\ntitle: Kommt noch\ndate: 2099-01-01\n---\n\nGeplant.\n",
  "entwurf.md": "---\ntitle: Entwurf\ndraft: true\n---\n\nNoch nicht.\n",
};

let tmp = "";
let content = "";
let target: D1Target = { remote: false };

async function publish(args: string[], answer: boolean | null = null) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => answer };
  const code = await runPublish([...args, "--local", "--persist-to", target.persistTo ?? "", "--content", content], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

/** Everything the publisher writes, to compare before and after. */
function snapshot() {
  return queryD1(
    target,
    "SELECT * FROM articles ORDER BY id; SELECT * FROM tags ORDER BY id; SELECT * FROM article_tags ORDER BY article_id, tag_id; SELECT * FROM article_aliases ORDER BY slug",
  );
}

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("publish-round-trip-"));
  for (const [name, text] of Object.entries(FILES)) await writeFile(path.join(content, name), text);
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run publish against a local D1", () => {
  it("publishes the files in one go, and the Worker serves them as rendered", async () => {
    const result = await publish(["--yes"]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("3 new, 0 changed, 0 unchanged.");
    expect(result.out).toContain("  new      kommt-noch  ");
    expect(result.out).toMatch(/scheduled for 2099-01-01T00:00:00\+01:00/);
    expect(result.out).toContain("Published: 3 new");
    const worker = await unstable_startWorker({
      config: path.join(ROOT, "wrangler.toml"),
      dev: { persist: target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
    });
    try {
      const page = await worker.fetch("http://blog.test/articles/hallo-welt");
      const html = await page.text();
      expect(page.status, html).toBe(200);
      expect(html).toContain("Hallo Welt");
      expect(html).toContain(renderArticleHtml(BODY).html);
      expect(html).toContain("BEGIN TRANSACTION; und später COMMIT;");
      const alias = await worker.fetch("http://blog.test/articles/hallo", { redirect: "manual" });
      expect([alias.status, alias.headers.get("Location")]).toEqual([301, "/articles/hallo-welt"]);
      expect((await worker.fetch("http://blog.test/articles/kommt-noch")).status).toBe(404);
      expect((await worker.fetch("http://blog.test/articles/entwurf")).status).toBe(404);
    } finally {
      await worker.dispose();
    }
  });

  it("reports everything unchanged the second time and writes nothing", async () => {
    const before = await snapshot();
    const result = await publish([]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toContain("0 new, 0 changed, 3 unchanged.");
    expect(result.out).toContain("Nothing to publish");
    expect(result.out).not.toContain("Applying");
    expect(await snapshot()).toEqual(before);
  });

  it("publishes nothing when one file is broken, and says where", async () => {
    const before = await snapshot();
    // As the first publish left it: with the id it wrote in.
    const original = await readFile(path.join(content, "hallo-welt.md"), "utf8");
    await writeFile(path.join(content, "hallo-welt.md"), original.replace("Hallo Welt", "Hallo, Welt"));
    await writeFile(path.join(content, "kaputt.md"), "---\ntitle: Kaputt\nlang: fr\ndate: 2024-13-01\n---\n\nText.\n");
    try {
      const result = await publish(["--yes"]);
      expect(result.code).toBe(1);
      const shown = path.relative(ROOT, path.join(content, "kaputt.md"));
      expect(result.err).toContain(`${shown}:3: lang: must be "de" or "en", got "fr"`);
      expect(result.err).toContain(`${shown}:4: date: not a valid date "2024-13-01" (use YYYY-MM-DD or ISO 8601 with time zone)`);
      expect(result.err).toContain("2 problems found; nothing was published.");
      expect(await snapshot()).toEqual(before);
    } finally {
      await unlink(path.join(content, "kaputt.md"));
      await writeFile(path.join(content, "hallo-welt.md"), original);
    }
  });

  it("asks before taking an article offline whose file is gone, refuses without a terminal, and keeps it in D1", async () => {
    await unlink(path.join(content, "entwurf.md"));
    const refused = await publish(["--prune"], null);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("  offline  entwurf");
    expect(refused.err).toContain("Not taking 1 article offline without confirmation, and there is no terminal to ask: run again with --yes.");
    const declined = await publish(["--prune"], false);
    expect(declined.code).toBe(1);
    const gone = async () => ((await snapshot())[0] ?? []).map((row) => [(row as { slug: string }).slug, (row as { gone_at: number | null }).gone_at !== null]);
    expect(await gone()).toContainEqual(["entwurf", false]);
    const offline = await publish(["--prune"], true);
    expect(offline.code, offline.err).toBe(0);
    expect(offline.out).toContain("Published: 0 new, 0 changed, 2 unchanged, 1 taken offline.");
    expect(await gone()).toEqual([
      ["entwurf", true],
      ["hallo-welt", false],
      ["kommt-noch", false],
    ]);
  });

  it("publishes only the files or folders given, and refuses paths outside the content directory", async () => {
    const outside = await publish(["--yes", path.join(tmp, "elsewhere.md")]);
    expect(outside.code).toBe(2);
    expect(outside.err).toContain(`${path.join(tmp, "elsewhere.md")}: not inside the content directory ${content}`);
    const original = FILES["kommt-noch.md"] ?? "";
    await writeFile(path.join(content, "kommt-noch.md"), original.replace("Geplant.", "Geplant, bald."));
    await writeFile(path.join(content, "neu.md"), "---\ntitle: Neu\n---\n\nNeu hier.\n");
    const result = await publish(["--yes", path.join(content, "neu.md")]);
    expect(result.code, result.err).toBe(0);
    expect(result.out).toMatch(/ {2}skipped {2}kommt-noch {2}.*kommt-noch\.md: not among the given paths/);
    expect(result.out).toContain("1 new, 0 changed, 1 unchanged, 1 skipped.");
    const rows = ((await snapshot())[0] ?? []) as { slug: string; body_md: string }[];
    expect(rows.map((r) => r.slug).sort()).toEqual(["entwurf", "hallo-welt", "kommt-noch", "neu"]);
    expect(rows.find((r) => r.slug === "kommt-noch")?.body_md).toBe("Geplant.");
  });

  it("publishes pages from pages/ with their role, and refuses a second page for a role that D1 keeps", async () => {
    await mkdir(path.join(content, "pages"), { recursive: true });
    const impressum = path.join(content, "pages", "impressum.md");
    await writeFile(impressum, "---\ntitle: Impressum\nrole: imprint\nnav: footer\nnavOrder: 1\n---\n\nAngaben gemäß § 5 DDG.\n");
    const first = await publish(["--yes", impressum]);
    expect(first.code, first.err).toBe(0);
    const [rows = []] = await queryD1(target, "SELECT slug, kind, nav, nav_order, role, comments FROM articles WHERE slug = 'impressum'");
    expect(rows).toEqual([{ slug: "impressum", kind: "page", nav: "footer", nav_order: 1, role: "imprint", comments: "closed" }]);
    // The file goes, the stored page stays (no --prune): another page cannot take its role.
    await unlink(impressum);
    await writeFile(path.join(content, "pages", "anbieter.md"), "---\ntitle: Anbieter\nrole: imprint\n---\n\nText.\n");
    const before = await snapshot();
    const second = await publish(["--yes"]);
    expect(second.code).toBe(1);
    expect(second.err).toContain(
      'pages/anbieter.md:3: role: "imprint" is already the role of the page "impressum" in D1 that has no file here; a site has one such page',
    );
    expect(await snapshot()).toEqual(before);
  });
});
