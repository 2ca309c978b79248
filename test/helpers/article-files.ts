// Article files for publisher tests: front matter text in, parsed sources out.

import { htmlVersionFor } from "../../src/articles/markdown";
import { type ArticleSource, parseArticleFile, type SourceSettings } from "../../tools/publish/front-matter";
import type { StoredArticle } from "../../tools/publish/publish-plan";

export const SETTINGS: SourceSettings = { defaultLang: "de", timeZone: "Europe/Berlin" };

/** A file: front matter lines between --- fences, then the body. */
export function articleText(frontMatter: string[], body = "Ein Absatz.\n"): string {
  return ["---", ...frontMatter, "---", "", body].join("\n");
}

/** Parses a file that must be valid. */
export async function parseSource(path: string, text: string): Promise<ArticleSource> {
  const result = await parseArticleFile(path, text, SETTINGS);
  if (!result.ok) throw new Error(`${path} should be valid: ${JSON.stringify(result.errors)}`);
  return result.value;
}

/** A valid source with the given slug (file `<slug>.md`) and extra front matter lines. */
export function sourceFor(slug: string, extra: string[] = [], body?: string): Promise<ArticleSource> {
  return parseSource(`${slug}.md`, articleText([`title: Titel ${slug}`, ...extra], body));
}

/** What D1 would hold after publishing `source` as it is. */
export function storedFrom(source: ArticleSource, overrides: Partial<StoredArticle> = {}): StoredArticle {
  return {
    slug: source.fields.slug,
    sourceHash: source.sourceHash,
    htmlVersion: htmlVersionFor(source.bodyHash),
    sourcePath: source.path,
    commentCount: 0,
    ...overrides,
  };
}
