// The sample legal pages (Impressum, privacy) ship with "[bitte ausfüllen]"
// where the site's own details belong. A page with a legal role that still
// holds such a line must not reach the deployed blog: the remote publish and
// the deploy refuse, before anything goes to Cloudflare, naming each line.
import { readFile } from "node:fs/promises";
import path from "node:path";
import type { ArticleSource } from "./front-matter";

/** The placeholder the sample pages use, in German and in English. */
const PLACEHOLDER = /\[(?:bitte ausfüllen|please fill in)\b/i;

export interface PlaceholderLine {
  /** Content-relative path of the page. */
  path: string;
  /** 1-based line in the file. */
  line: number;
  text: string;
}

/** Every line of a published page with a legal role that still holds a placeholder. */
export async function findPlaceholders(contentDir: string, sources: readonly ArticleSource[]): Promise<PlaceholderLine[]> {
  const found: PlaceholderLine[] = [];
  for (const source of sources) {
    if (!source.fields.page?.role || source.fields.draft) continue;
    const text = await readFile(path.join(contentDir, source.path), "utf8");
    const lines = text.replace(/\r\n?/g, "\n").split("\n");
    // Skip the front matter: from the opening --- to the closing one.
    const close = lines.findIndex((line, i) => i > 0 && /^---[ \t]*$/.test(line));
    for (let i = close + 1; i < lines.length; i++) {
      const line = lines[i] ?? "";
      if (PLACEHOLDER.test(line)) found.push({ path: source.path, line: i + 1, text: line.trim() });
    }
  }
  return found;
}

/** The refusal printed for `found` (non-empty); `displayPath` shows a content path as the editor typed it. */
export function formatPlaceholderRefusal(found: readonly PlaceholderLine[], displayPath: (file: string) => string): string {
  const pages = new Set(found.map((f) => f.path)).size;
  const shown = found.slice(0, 40).map((f) => `  ${displayPath(f.path)}:${f.line}: ${f.text.length > 100 ? `${f.text.slice(0, 99)}…` : f.text}`);
  if (found.length > shown.length) shown.push(`  … and ${found.length - shown.length} more`);
  return [
    `${pages === 1 ? "A legal page still holds" : `${pages} legal pages still hold`} "[bitte ausfüllen]" where the site's own details belong:`,
    ...shown,
    "Fill in each line (or remove what does not apply) and run again. Nothing was sent to Cloudflare.",
  ].join("\n");
}
