// A hostile uploads folder behind `npm run import:wordpress --media`, into a
// temporary content folder and local D1 (real wrangler): symbolic links (to a
// file, to a folder), files that are not media (Markdown, HTML, SVG, script)
// and a directory named like an image are not copied and are listed with why;
// nothing of them reaches content/ or D1, and the real media still arrive.
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type D1Target, queryD1 } from "../../../tools/lib/wrangler";
import type { CliIo } from "../../../tools/publish/publish-command";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { createWorkspace } from "../helpers/workspace";
import { wxrExport, wxrItem } from "../helpers/wxr";

const UPLOADS = "https://alt.test/wp-content/uploads";
const EVIL_ARTICLE = `---
title: "Eingeschleust"
slug: eingeschleust
---

Dieser Text kam aus dem Upload-Ordner.
`;

let tmp = "";
let content = "";
let uploads = "";
let target: D1Target = { remote: false };

beforeAll(async () => {
  ({ tmp, content, target } = await createWorkspace("wordpress-uploads-"));
  uploads = path.join(tmp, "uploads");
  const month = path.join(uploads, "2020", "01");
  await mkdir(month, { recursive: true });
  await mkdir(path.join(tmp, "elsewhere"));
  await writeFile(path.join(tmp, "secret.txt"), "a local file outside the uploads folder");
  await writeFile(path.join(tmp, "elsewhere", "fremd.jpg"), "an image outside the uploads folder");
  await writeFile(path.join(month, "foto.jpg"), "jpeg bytes");
  await writeFile(path.join(month, "preise.PDF"), "pdf bytes");
  await symlink(path.join(tmp, "secret.txt"), path.join(month, "link.jpg"));
  await symlink(path.join(tmp, "elsewhere"), path.join(uploads, "2020", "02"));
  await writeFile(path.join(month, "evil.md"), EVIL_ARTICLE);
  await writeFile(path.join(month, "seite.html"), "<script>alert(1)</script>");
  await writeFile(path.join(month, "logo.svg"), '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>');
  await writeFile(path.join(month, "app.js"), "alert(1)");
  await mkdir(path.join(month, "ordner.jpg"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

const BODY = ["foto.jpg", "preise.PDF", "link.jpg", "evil.md", "seite.html", "logo.svg", "app.js", "ordner.jpg", "../../../secret.txt"]
  .map((name) => `<a href="${UPLOADS}/2020/01/${name}">${name}</a>`)
  .concat(`<img src="${UPLOADS}/2020/02/fremd.jpg" alt="fremd">`)
  .join("\n");

describe("importing with a hostile uploads folder", () => {
  it("copies regular media files only, and lists every other upload with why", async () => {
    const file = path.join(tmp, "export.xml");
    await writeFile(file, wxrExport([wxrItem({ id: "40", title: "Anhänge", name: "anhaenge", content: BODY })]));
    const out: string[] = [];
    const err: string[] = [];
    const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => null };
    const code = await runImportWordPress([file, "--media", uploads, "--persist-to", target.persistTo ?? "", "--content", content], io);
    expect(code, err.join("\n")).toBe(0);
    const report = out.join("\n");
    expect(report).toContain("Media: 2 files copied to media/ and their links rewritten.");
    expect(report).toContain("Media: 8 uploads not copied; their links stay absolute:");
    for (const [name, reason] of [
      ["2020/01/link.jpg", "a symbolic link"],
      ["2020/01/evil.md", "not a media file (.md)"],
      ["2020/01/seite.html", "not a media file (.html)"],
      ["2020/01/logo.svg", "not a media file (.svg)"],
      ["2020/01/app.js", "not a media file (.js)"],
      ["2020/01/ordner.jpg", "not a regular file"],
      ["2020/01/../../../secret.txt", "a path that leaves the uploads folder"],
      ["2020/02/fremd.jpg", "in a symbolically linked folder"],
    ])
      expect(report).toContain(`  skipped   ${UPLOADS}/${name}: ${reason}`);

    const copied = ((await readdir(path.join(content, "media"), { recursive: true })) as string[]).sort();
    expect(copied).toEqual(["2020", "2020/01", "2020/01/foto.jpg", "2020/01/preise.PDF"]);
    expect(await readFile(path.join(content, "media", "2020", "01", "foto.jpg"), "utf8")).toBe("jpeg bytes");
    const markdown = await readFile(path.join(content, "anhaenge.md"), "utf8");
    expect(markdown).toContain("[foto.jpg](/media/2020/01/foto.jpg)");
    expect(markdown).toContain(`[link.jpg](${UPLOADS}/2020/01/link.jpg)`);
    expect(markdown).toContain(`[evil.md](${UPLOADS}/2020/01/evil.md)`);

    const [articles = [], redirects = []] = (await queryD1(
      target,
      "SELECT slug FROM articles ORDER BY slug; SELECT from_path, to_path FROM redirects WHERE to_path LIKE '/media/%' ORDER BY from_path",
    )) as Record<string, string>[][];
    expect(articles.map((a) => a.slug)).toEqual(["anhaenge"]);
    expect(redirects).toEqual([
      { from_path: "/wp-content/uploads/2020/01/foto.jpg", to_path: "/media/2020/01/foto.jpg" },
      { from_path: "/wp-content/uploads/2020/01/preise.PDF", to_path: "/media/2020/01/preise.PDF" },
    ]);

    // Publishing again reads the content folder as it is now: still one article, nothing from the uploads.
    const again = await runImportWordPress([file, "--media", uploads, "--persist-to", target.persistTo ?? "", "--content", content], io);
    expect(again).toBe(0);
    const [after = []] = (await queryD1(target, "SELECT slug FROM articles")) as Record<string, string>[][];
    expect(after.map((a) => a.slug)).toEqual(["anhaenge"]);
  });
});
