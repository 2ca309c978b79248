// Runs a command while content/ holds something else, then puts content/ back
// exactly as it was: the proof that the tests test the engine, not the sample
// articles. An agency's repository holds its own blog, or nothing yet.
//
//   node test/with-content.mjs wordpress -- npm exec -- vitest run --config test/vitest.browser.config.ts
//   node test/with-content.mjs empty -- npm exec -- vitest run --config test/vitest.node.config.ts
//
// "wordpress": a small blog as `npm run import:wordpress` leaves it (other
// posts, pages, media; none of the sample articles). "empty": only the
// .assetsignore every content folder has. content/ is copied aside first and
// restored afterwards, also when the command fails or is interrupted.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "..");
const CONTENT = path.join(ROOT, "content");

const post = (title, slug, date, tags, body, extra = []) =>
  [
    "---",
    `title: ${JSON.stringify(title)}`,
    `slug: ${JSON.stringify(slug)}`,
    `date: ${date}`,
    `tags: [${tags.map((t) => JSON.stringify(t)).join(", ")}]`,
    'author: "Anna Beispiel"',
    "draft: false",
    ...extra,
    "---",
    "",
    body,
    "",
  ].join("\n");

/** An imported WordPress blog in miniature: posts, a draft, pages with roles, media in year folders. */
const WORDPRESS = {
  "2014-neue-website-online.md": post(
    "Unsere neue Website ist online",
    "neue-website-online",
    "2014-02-03T10:15:00+01:00",
    ["Neuigkeiten"],
    "Nach langer Arbeit ist es so weit.\n\n![Die Startseite](/media/2014/02/startseite.png)\n\n<!-- more -->\n\nMehr dazu [im Blog](/ueber-uns).",
    ["comments: open"],
  ),
  "2018-fotos-vom-sommerfest.md": post(
    "Fotos vom Sommerfest",
    "fotos-vom-sommerfest",
    "2018-07-14T18:30:00+02:00",
    ["Team", "Feste"],
    "Ein paar Eindrücke:\n\n| Wann | Was |\n| --- | --- |\n| 17 Uhr | Grillen |\n| 20 Uhr | Musik |",
    ["comments: closed"],
  ),
  "2021-entwurf-preise.md": post("Preise 2022 (Entwurf)", "preise-2022", "2021-11-30T09:00:00+01:00", ["Intern"], "Noch nicht fertig.").replace(
    "draft: false",
    "draft: true",
  ),
  "pages/ueber-uns.md": '---\ntitle: "Über uns"\nslug: "ueber-uns"\ncomments: closed\nnav: header\n---\n\nWir sind ein kleines Team.\n',
  "pages/impressum-2.md": '---\ntitle: "Impressum"\nslug: "impressum-2"\ncomments: closed\nrole: imprint\n---\n\nAngaben gemäß § 5 DDG.\n',
  "pages/datenschutzerklaerung.md":
    '---\ntitle: "Datenschutzerklärung"\nslug: "datenschutzerklaerung"\ncomments: closed\nrole: privacy\n---\n\nWir speichern wenig.\n',
  "media/2014/02/startseite.png": Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010806000000", "hex"),
};

const SETS = { wordpress: WORDPRESS, empty: {} };

const [which, separator, ...command] = process.argv.slice(2);
if (!(which in SETS) || separator !== "--" || command.length === 0) {
  console.error(`Usage: node test/with-content.mjs ${Object.keys(SETS).join("|")} -- <command…>`);
  process.exit(2);
}

const aside = mkdtempSync(path.join(os.tmpdir(), "content-aside-"));
cpSync(CONTENT, aside, { recursive: true });
let restored = false;
const restore = () => {
  if (restored) return;
  restored = true;
  rmSync(CONTENT, { recursive: true, force: true });
  cpSync(aside, CONTENT, { recursive: true });
  rmSync(aside, { recursive: true, force: true });
  console.log(`\ncontent/ restored from ${aside}`);
};
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => process.exit(130));
process.on("exit", restore);

const assetsIgnore = readFileSync(path.join(CONTENT, ".assetsignore"));
rmSync(CONTENT, { recursive: true, force: true });
mkdirSync(CONTENT);
writeFileSync(path.join(CONTENT, ".assetsignore"), assetsIgnore);
for (const [file, data] of Object.entries(SETS[which])) {
  mkdirSync(path.dirname(path.join(CONTENT, file)), { recursive: true });
  writeFileSync(path.join(CONTENT, file), data);
}
const listing = spawnSync("find", ["content", "-type", "f"], { cwd: ROOT, encoding: "utf8" }).stdout.trim().split("\n").sort();
console.log(`content/ now holds "${which}":\n  ${listing.join("\n  ")}\n$ ${command.join(" ")}`);
const run = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: "inherit" });
process.exitCode = run.status ?? 1;
