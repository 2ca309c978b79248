// Moving in: `npm run import:wordpress` on a fresh clone (no local D1 state
// at all) applies the migrations itself; it removes the sample content only
// when asked, never a sample someone edited; and a second import of a newer
// export updates what it wrote, keeps what was edited (or deleted) since, and
// adds the new comments without doubling the old ones. Real wrangler, real
// local D1; each test builds its own content folder and sample record.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { access, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runPublish } from "../../../tools/publish/publish-command";
import { deriveCommentId } from "../../../tools/wordpress/comment-rows";
import { queryRows, ROOT, runImport } from "../helpers/import-run";
import { createWorkspace, type Workspace } from "../helpers/workspace";
import { wxrComment, wxrExport, wxrItem } from "../helpers/wxr";

const SAMPLE_RECORD = ".sample-content.json";
const IMPORT_RECORD = ".wordpress-import.json";

const SAMPLE_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 4"><rect width="4" height="4"/></svg>\n';
// As the shipped samples, each carries its id: publishing them (npm start) leaves them byte for byte as shipped.
const SAMPLES: Record<string, string> = {
  "beispiel-eins.md": "---\ntitle: Beispiel eins\ndate: 2020-01-01\nid: sample-beispiel-eins\n---\n\n![Bild](/media/beispiel.svg)\n\nEin Beispielartikel.\n",
  "beispiel-zwei.md": "---\ntitle: Beispiel zwei\ndate: 2020-01-02\nid: sample-beispiel-zwei\n---\n\nNoch ein Beispielartikel.\n",
  "media/beispiel.svg": SAMPLE_IMAGE,
  "pages/datenschutz.md": "---\ntitle: Datenschutz\nrole: privacy\nnav: footer\ncomments: closed\nid: sample-datenschutz\n---\n\nPlatzhalter.\n",
};

// Each import starts wrangler four times (migrations, the check, publish's read and write); a busy machine needs time.
const SLOW = 600_000;

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/** A content folder as a clone has it: the sample files and their record, the icon and the .assetsignore. */
async function writeSampleContent(content: string): Promise<void> {
  await mkdir(path.join(content, "media"), { recursive: true });
  await mkdir(path.join(content, "pages"), { recursive: true });
  await writeFile(path.join(content, ".assetsignore"), `*.md\n.assetsignore\n_headers\n${SAMPLE_RECORD}\n${IMPORT_RECORD}\n`);
  for (const [file, text] of Object.entries(SAMPLES)) await writeFile(path.join(content, file), text);
  const files = Object.fromEntries(Object.entries(SAMPLES).map(([file, text]) => [file, sha256(text)]));
  await writeFile(path.join(content, SAMPLE_RECORD), JSON.stringify({ about: "samples", files }));
}

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

function runCli(args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, "tools/import-wordpress.ts", ...args], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const PRIVACY_PAGE = wxrItem({ id: "50", title: "Datenschutzerklärung", name: "datenschutzerklaerung", type: "page", content: "Wie wir Daten schützen." });

describe("importing on a fresh clone", () => {
  let tmp = "";
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(os.tmpdir(), "wordpress-fresh-"));
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it(
    "applies the migrations to a D1 with no state at all, keeps the samples without a terminal and says how to remove them",
    async () => {
      const content = path.join(tmp, "content");
      const d1 = path.join(tmp, "d1");
      await writeSampleContent(content);
      const exportFile = path.join(tmp, "export.xml");
      const post = wxrItem({ id: "7", title: "Erster Beitrag", name: "erster-beitrag", comments: [wxrComment("70", "1", "Schön!")] });
      await writeFile(exportFile, wxrExport([post, PRIVACY_PAGE]));
      expect(await exists(d1)).toBe(false);

      const dry = await runCli([exportFile, "--dry-run", "--persist-to", d1, "--content", content]);
      expect(dry.code, dry.output).toBe(0);
      expect(dry.output).toContain("has no tables yet: the import applies the D1 migrations before it writes.");
      expect(dry.output).toContain("Dry run: nothing was written.");

      const { code, output } = await runCli([exportFile, "--persist-to", d1, "--content", content]);
      expect(code, output).toBe(0);
      expect(output).toContain(`Applying the D1 migrations to the local D1 database in ${d1}`);
      expect(output).not.toContain("no such table");
      const keepLine = output.split("\n").filter((l) => l.includes("--remove-samples") && l.startsWith("Keeping"));
      expect(keepLine).toEqual([
        "Keeping the 2 sample articles the blog ships with (listed above); to remove them, run the import again with --remove-samples.",
      ]);
      for (const file of ["beispiel-eins.md", "beispiel-zwei.md", "media/beispiel.svg"]) expect(await exists(path.join(content, file)), file).toBe(true);
      // The unchanged privacy placeholder gives way to the imported privacy page, in the folder and in D1.
      expect(output).toContain("the unchanged placeholder gives way to page 50");
      expect(await exists(path.join(content, "pages/datenschutz.md"))).toBe(false);
      expect(await readFile(path.join(content, "pages/datenschutzerklaerung.md"), "utf8")).toContain("role: privacy");

      const ws: Workspace = { tmp, content, target: { remote: false, persistTo: d1 } };
      const articles = await queryRows(ws, "SELECT slug, role FROM articles ORDER BY slug");
      expect(articles).toEqual([
        { slug: "beispiel-eins", role: null },
        { slug: "beispiel-zwei", role: null },
        { slug: "datenschutzerklaerung", role: "privacy" },
        { slug: "erster-beitrag", role: null },
      ]);
      const comments = await queryRows(ws, "SELECT c.id, a.slug FROM comments c JOIN articles a ON a.id = c.article_id");
      expect(comments).toEqual([{ id: deriveCommentId("https://alt.test", "70"), slug: "erster-beitrag" }]);
      // What the import wrote is recorded by hash; the samples' record no longer lists the placeholder that went.
      const record = JSON.parse(await readFile(path.join(content, IMPORT_RECORD), "utf8"));
      expect(Object.keys(record.files).sort()).toEqual(["erster-beitrag.md", "pages/datenschutzerklaerung.md"]);
      const samples = JSON.parse(await readFile(path.join(content, SAMPLE_RECORD), "utf8"));
      expect(Object.keys(samples.files).sort()).toEqual(["beispiel-eins.md", "beispiel-zwei.md", "media/beispiel.svg"]);
    },
    SLOW,
  );
});

describe("removing the sample content", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace("wordpress-samples-");
    await writeSampleContent(ws.content);
    // The blog ran once (npm start publishes the samples), then someone edited one of them.
    const published = await runPublish(["--local", "--persist-to", ws.target.persistTo ?? "", "--content", ws.content], {
      out: () => {},
      err: () => {},
      confirm: async () => null,
    });
    expect(published).toBe(0);
    await writeFile(path.join(ws.content, "beispiel-zwei.md"), `${SAMPLES["beispiel-zwei.md"]}\nUnser eigener Absatz.\n`);
  }, SLOW);
  afterAll(async () => {
    if (ws) await rm(ws.tmp, { recursive: true, force: true });
  });

  it(
    "--remove-samples removes the unchanged sample articles and their media from the folder, takes them off the site, and keeps an edited one",
    async () => {
      const exportFile = path.join(ws.tmp, "export.xml");
      await writeFile(exportFile, wxrExport([wxrItem({ id: "7", title: "Erster Beitrag", name: "erster-beitrag" }), PRIVACY_PAGE]));
      const result = await runImport(ws, [exportFile, "--remove-samples"]);
      expect(result.code, result.err).toBe(0);
      const shown = (file: string) => path.relative(process.cwd(), path.join(ws.content, file));
      expect(result.out).toContain(`  kept, a sample edited since it shipped: ${shown("beispiel-zwei.md")}`);
      // The published privacy placeholder gives way to the imported privacy page (D1 holds one page per role).
      expect(result.out).toContain("Removed 3 sample files: pages/datenschutz.md, beispiel-eins.md, media/beispiel.svg.");
      expect(await exists(path.join(ws.content, "beispiel-eins.md"))).toBe(false);
      expect(await exists(path.join(ws.content, "media/beispiel.svg"))).toBe(false);
      expect(await readFile(path.join(ws.content, "beispiel-zwei.md"), "utf8")).toContain("Unser eigener Absatz.");
      // Off the local site too: the removed samples are taken offline (410, kept in D1 as everything publish
      // takes off the site; npm run delete deletes for good); the edited one and the import are live.
      const rows = await queryRows(ws, "SELECT slug, role, gone_at IS NOT NULL AS offline FROM articles ORDER BY slug");
      expect(rows).toEqual([
        { slug: "beispiel-eins", role: null, offline: 1 },
        { slug: "beispiel-zwei", role: null, offline: 0 },
        { slug: "datenschutz", role: "privacy", offline: 1 },
        { slug: "datenschutzerklaerung", role: "privacy", offline: 0 },
        { slug: "erster-beitrag", role: null, offline: 0 },
      ]);
      const samples = JSON.parse(await readFile(path.join(ws.content, SAMPLE_RECORD), "utf8"));
      expect(Object.keys(samples.files)).toEqual(["beispiel-zwei.md"]);
    },
    SLOW,
  );
});

describe("importing again", () => {
  let ws: Workspace;
  let exportFile = "";
  const shown = (file: string) => path.relative(process.cwd(), path.join(ws.content, file));
  const read = (file: string) => readFile(path.join(ws.content, file), "utf8");
  const commentIds = async () => (await queryRows(ws, "SELECT id FROM comments ORDER BY id")).map((r) => r.id);
  const id = (wpId: string) => deriveCommentId("https://alt.test", wpId);

  function site(version: 1 | 2): string {
    const more = version === 2;
    return wxrExport([
      wxrItem({
        id: "1",
        title: "Alpha",
        name: "alpha",
        content: more ? "Alpha, überarbeitet." : "Alpha.",
        comments: [wxrComment("11", "1", "Zu Alpha"), ...(more ? [wxrComment("12", "1", "Neu zu Alpha")] : [])],
      }),
      wxrItem({
        id: "2",
        title: "Beta",
        name: "beta",
        content: more ? "Beta, überarbeitet." : "Beta.",
        comments: [
          wxrComment("21", "1", "Zu Beta"),
          ...(more
            ? [wxrComment("22", "1", "Neu zu Beta"), wxrComment("23", "1", "Antwort auf 21").replace(">0</wp:comment_parent>", ">21</wp:comment_parent>")]
            : []),
        ],
      }),
      wxrItem({ id: "3", title: "Gamma", name: "gamma", comments: more ? [wxrComment("31", "1", "Neu zu Gamma")] : [] }),
    ]);
  }

  beforeAll(async () => {
    ws = await createWorkspace("wordpress-again-");
    exportFile = path.join(ws.tmp, "export.xml");
    await writeFile(exportFile, site(1));
    const first = await runImport(ws, [exportFile]);
    expect(first.code, first.err).toBe(0);
    expect(await commentIds()).toEqual([id("11"), id("21")].sort());
  }, SLOW);
  afterAll(async () => {
    if (ws) await rm(ws.tmp, { recursive: true, force: true });
  });

  it(
    "updates what it wrote, keeps a file edited and one deleted since, adds the new comments once, also with --yes",
    async () => {
      // An editor deleted a comment for good: importing again does not bring it back, and a new reply to it stands alone.
      await queryRows(ws, `DELETE FROM comments WHERE id = '${id("21")}'`);
      await writeFile(path.join(ws.content, "alpha.md"), (await read("alpha.md")).replace("Alpha.", "Alpha, von Hand verbessert."));
      await rm(path.join(ws.content, "gamma.md"));
      await writeFile(exportFile, site(2));

      const again = await runImport(ws, [exportFile]);
      expect(again.code, again.err).toBe(0);
      expect(again.out).toContain(`  kept, edited since import: ${shown("alpha.md")}`);
      expect(again.out).toContain(`  not restored, deleted since import: ${shown("gamma.md")}`);
      expect(again.out).toContain("  update    beta.md");
      expect(again.out).toContain("1 comments skipped: their post's file was deleted since the last import.");
      expect(await read("alpha.md")).toContain("Alpha, von Hand verbessert.");
      expect(await read("beta.md")).toContain("Beta, überarbeitet.");
      expect(await exists(path.join(ws.content, "gamma.md"))).toBe(false);
      // The new comments land on their posts, the kept one's too; the old ones are not there twice, the deleted one not again.
      expect(await commentIds()).toEqual([id("11"), id("12"), id("22"), id("23")].sort());
      expect(again.out).toContain("  2 comments imported before are left as they are (deleted ones stay deleted); the counts above are the new ones.");
      const [reply] = await queryRows(ws, `SELECT parent_id FROM comments WHERE id = '${id("23")}'`);
      expect(reply).toEqual({ parent_id: null });
      const onAlpha = await queryRows(ws, "SELECT c.id FROM comments c JOIN articles a ON a.id = c.article_id WHERE a.slug = 'alpha' ORDER BY c.id");
      expect(onAlpha.map((r) => r.id)).toEqual([id("11"), id("12")].sort());
      // The kept file is what D1 shows.
      const [alpha] = await queryRows(ws, "SELECT body_md FROM articles WHERE slug = 'alpha'");
      expect(alpha?.body_md).toContain("Alpha, von Hand verbessert.");

      const yes = await runImport(ws, [exportFile, "--yes"]);
      expect(yes.code, yes.err).toBe(0);
      expect(yes.out).toContain(`  kept, edited since import: ${shown("alpha.md")}`);
      expect(await read("alpha.md")).toContain("Alpha, von Hand verbessert.");
      expect(await commentIds()).toEqual([id("11"), id("12"), id("22"), id("23")].sort());
    },
    SLOW,
  );

  it(
    "--overwrite-edited replaces the edited file and writes the deleted one again, with its comments",
    async () => {
      const result = await runImport(ws, [exportFile, "--overwrite-edited"]);
      expect(result.code, result.err).toBe(0);
      expect(result.out).toContain("  overwrite alpha.md");
      expect(await read("alpha.md")).toContain("Alpha, überarbeitet.");
      expect(await read("alpha.md")).not.toContain("von Hand");
      expect(await read("gamma.md")).toContain('title: "Gamma"');
      expect(await commentIds()).toEqual([id("11"), id("12"), id("22"), id("23"), id("31")].sort());
      // Now the files are again as the import wrote them: a plain re-run changes nothing.
      const plain = await runImport(ws, [exportFile]);
      expect(plain.code, plain.err).toBe(0);
      expect(plain.out).toContain("Posts: 3 (0 new, 0 replacing a file, 3 unchanged; 0 drafts, 0 scheduled)");
    },
    SLOW,
  );
});
