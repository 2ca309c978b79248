// SQL on an article's rendered HTML: reading the Markdown when the stored HTML
// is stale, and storing what was rendered from it (HTML, excerpt, plain text).
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles } from "../db/schema";

/** An article's Markdown source: read only when its stored HTML is stale. */
export async function getArticleMarkdown(db: Db, id: number): Promise<string | null> {
  const [row] = await db.select({ bodyMd: articles.bodyMd }).from(articles).where(eq(articles.id, id)).limit(1);
  return row?.bodyMd ?? null;
}

export interface RenderedHtml {
  id: number;
  /** The body the HTML was rendered from; a changed body is not overwritten. */
  bodyHash: string;
  rendered: { html: string; excerpt: string; text: string; htmlVersion: string };
}

function renderedHtmlUpdate(db: Db, { id, bodyHash, rendered }: RenderedHtml) {
  return db
    .update(articles)
    .set({ bodyHtml: rendered.html, excerpt: rendered.excerpt, bodyText: rendered.text, htmlVersion: rendered.htmlVersion })
    .where(and(eq(articles.id, id), eq(articles.bodyHash, bodyHash)));
}

/** Stores freshly rendered HTML, unless the body changed in the meantime. */
export async function setRenderedHtml(db: Db, id: number, bodyHash: string, rendered: RenderedHtml["rendered"]): Promise<void> {
  await renderedHtmlUpdate(db, { id, bodyHash, rendered });
}

/** setRenderedHtml for several articles, in one D1 batch. */
export async function setRenderedHtmlOfMany(db: Db, items: RenderedHtml[]): Promise<void> {
  const [first, ...rest] = items.map((item) => renderedHtmlUpdate(db, item));
  if (first) await db.batch([first, ...rest]);
}
