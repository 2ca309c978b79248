// A test's own content folder: the articles and pages it needs, written into
// its temporary directory, so no test depends on what the repository's
// content/ holds (the sample articles today, an agency's own blog tomorrow).
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export interface TestArticle {
  slug: string;
  title: string;
  lang?: "de" | "en";
  /** YYYY-MM-DD; the first publish fills in the time when missing. */
  date?: string;
  tags?: string[];
  body?: string;
  comments?: "open" | "closed";
  /** A page under pages/ (navigation and role as front matter lines). */
  page?: { nav?: "header" | "footer"; role?: "imprint" | "privacy" };
}

/** What every content folder has: Markdown is published into D1, never served as a file. */
const ASSETS_IGNORE = "*.md\n.assetsignore\n_headers\n";

/** A small picture for articles to show: served from the test's folder, as media are. */
export const TEST_IMAGE = {
  path: "media/bild.svg",
  svg: '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 4 3"><rect width="4" height="3" fill="#0b5cad"/></svg>\n',
};

/** The icon every page links (src/views/layout.tsx): a content folder brings its own. */
const FAVICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><circle cx="8" cy="8" r="7" fill="#0b5cad"/></svg>\n';

/** Writes `dir` with these articles and pages, the test image, the icon and the .assetsignore a content folder has; returns `dir`. */
export async function writeSiteContent(dir: string, articles: TestArticle[]): Promise<string> {
  await mkdir(path.join(dir, "pages"), { recursive: true });
  await mkdir(path.join(dir, "media"), { recursive: true });
  await writeFile(path.join(dir, ".assetsignore"), ASSETS_IGNORE);
  await writeFile(path.join(dir, "favicon.svg"), FAVICON);
  await writeFile(path.join(dir, TEST_IMAGE.path), TEST_IMAGE.svg);
  for (const a of articles) {
    const lines = [
      "---",
      `title: ${JSON.stringify(a.title)}`,
      `slug: ${a.slug}`,
      ...(a.date ? [`date: ${a.date}`] : []),
      ...(a.lang ? [`lang: ${a.lang}`] : []),
      ...(a.tags ? [`tags: [${a.tags.join(", ")}]`] : []),
      `comments: ${a.comments ?? (a.page ? "closed" : "open")}`,
      ...(a.page?.nav ? [`nav: ${a.page.nav}`] : []),
      ...(a.page?.role ? [`role: ${a.page.role}`] : []),
      "---",
      "",
      a.body ?? `Der Text von „${a.title}“.`,
      "",
    ];
    await writeFile(path.join(dir, a.page ? "pages" : "", `${a.slug}.md`), lines.join("\n"));
  }
  return dir;
}

/** One German article with comments open: what the comment stories in the browser need. */
export const COMMENTABLE_ARTICLE: TestArticle = {
  slug: "ein-artikel-fuer-kommentare",
  title: "Ein Artikel für Kommentare",
  lang: "de",
  date: "2024-05-02",
  tags: ["KMU"],
  body: `![Ein blaues Rechteck](/${TEST_IMAGE.path})\n\nEin Absatz, unter dem Leserinnen und Leser antworten.\n\n## Ein Zwischentitel\n\nUnd noch ein Absatz.`,
};
