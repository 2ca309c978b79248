// Reading the editors' Markdown files from the content directory.
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { type ArticleSource, parseArticleFile, type SourceSettings } from "../publish/front-matter";
import type { PlanError } from "../publish/publish-plan";
import { measureSiteImage } from "./image-size";

export interface ContentFiles {
  sources: ArticleSource[];
  errors: PlanError[];
}

/** Every *.md file under `dir` (hidden folders and node_modules skipped), relative, with forward slashes, sorted. */
export async function listMarkdownFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith(".md"))
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .filter((rel) => !rel.split("/").some((part) => part.startsWith(".") || part === "node_modules"))
    .sort();
}

/** Parses and validates every article file; errors carry content-relative paths. */
export async function readContentFiles(dir: string, settings: SourceSettings): Promise<ContentFiles> {
  const files = await listMarkdownFiles(dir);
  const results = await Promise.all(
    files.map(async (file) => ({ file, result: await parseArticleFile(file, await readFile(path.join(dir, file), "utf8"), settings) })),
  );
  const sources: ArticleSource[] = [];
  const errors: PlanError[] = [];
  for (const { file, result } of results) {
    if (result.ok) sources.push(await withImageSize(dir, result.value));
    else errors.push(...result.errors.map((e) => ({ path: file, ...e })));
  }
  return { sources, errors };
}

/** A source whose image is a file under the content folder, with that file's size. */
async function withImageSize(dir: string, source: ArticleSource): Promise<ArticleSource> {
  const image = source.fields.image?.url;
  if (!image?.startsWith("/")) return source;
  return { ...source, imageSize: await measureSiteImage(dir, image) };
}

/**
 * The content-relative files that paths given on the command line select
 * (files or folders inside the content directory), or a message saying
 * which path is wrong.
 */
export async function selectContentFiles(dir: string, paths: string[], files: string[]): Promise<Set<string> | string> {
  const selected = new Set<string>();
  const root = path.resolve(dir);
  for (const given of paths) {
    const absolute = path.resolve(given);
    const relative = path.relative(root, absolute).split(path.sep).join("/");
    if (relative.startsWith("..") || path.isAbsolute(relative)) return `${given}: not inside the content directory ${dir}`;
    const info = await stat(absolute).catch(() => null);
    if (!info) return `${given}: no such file or directory`;
    const matches = info.isDirectory() ? files.filter((f) => relative === "" || f.startsWith(`${relative}/`)) : files.filter((f) => f === relative);
    if (matches.length === 0) return `${given}: no Markdown article (*.md) there`;
    for (const match of matches) selected.add(match);
  }
  return selected;
}
