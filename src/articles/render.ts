// The HTML readers get: what publish rendered and stored. The Worker carries
// no Markdown renderer (marked is ~15 KB of the gzipped bundle): publish
// renders every article once per version, and a publish after a renderer
// change renders again (its plan compares the renderer version).
import { escapeHtml } from "../lib/html";

/** What a page or feed shows of the rendered body. */
export interface ArticleHtml {
  html: string;
  excerpt: string;
}

/** What the reader pages read of an article or a page. */
export interface StoredHtml {
  slug: string;
  bodyHtml: string | null;
  excerpt: string | null;
  /** The Markdown, read only when no HTML is stored (a row not written by publish). */
  bodyMd?: string | null;
}

/**
 * The stored HTML. A row without any (written by hand, not by publish) shows
 * its source as plain paragraphs, escaped, and the log says which to publish.
 */
export function getArticleHtml(article: StoredHtml): ArticleHtml {
  if (article.bodyHtml !== null) return { html: article.bodyHtml, excerpt: article.excerpt ?? "" };
  console.warn(`article "${article.slug}" has no stored HTML: run npm run publish`);
  const paragraphs = (article.bodyMd ?? "").split(/\n{2,}/).filter((p) => p.trim() !== "");
  return { html: paragraphs.map((p) => `<p>${escapeHtml(p.trim())}</p>`).join("\n"), excerpt: article.excerpt ?? "" };
}
