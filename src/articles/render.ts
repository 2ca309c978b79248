// The body readers get. Publish renders ahead (readers rarely wait) and stores
// HTML, excerpt and plain text with html_version "<renderer>:<sha256 of
// body_md>". A row written any other way (an editor's `wrangler d1 execute`
// with only body_md, HTML of an older renderer, a body edited by hand) is
// rendered here on its first view, stored, and served. The body is hashed here:
// body_hash is whatever the writer put there, and a hand-edited body_md beside
// an old hash and old HTML must still count as changed.
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { articles } from "../db/schema";
import { sha256Hex } from "../lib/crypto";
import { htmlVersionFor, isCurrentHtml, type RenderedArticle, renderArticleHtml } from "./markdown";

/** What a page or feed shows of the rendered body. */
export interface ArticleHtml {
  html: string;
  excerpt: string;
}

/** What a reader path reads of an article or page to tell whether its stored rendering is current. */
export interface StoredBody {
  id: number;
  slug: string;
  bodyMd: string;
  htmlVersion: string | null;
  /** What this reader path shows of the rendering is stored: the HTML for pages and feeds, the plain text for search. */
  hasStored: boolean;
}

/** What pages and feeds read of an article's body (storedBodyColumns), and its excerpt. */
export interface StoredHtml extends Omit<StoredBody, "hasStored"> {
  bodyHtml: string | null;
  excerpt: string | null;
}

interface StaleBody {
  row: StoredBody;
  bodyHash: string;
  rendered: RenderedArticle;
}

/**
 * Renders the rows whose stored rendering is missing or not current for their
 * body, stores them (one guarded UPDATE each, in one batch) and returns them by
 * id; rows that are current are not in the map, and nothing is written for them.
 */
export async function renderStaleBodies(db: Db, rows: readonly StoredBody[]): Promise<Map<number, RenderedArticle>> {
  const hashed = await Promise.all(rows.map(async (row) => ({ row, bodyHash: await sha256Hex(row.bodyMd) })));
  const stale: StaleBody[] = hashed
    .filter(({ row, bodyHash }) => !row.hasStored || !isCurrentHtml(row.htmlVersion, bodyHash))
    .map((body) => ({ ...body, rendered: renderArticleHtml(body.row.bodyMd) }));
  await storeRenderings(db, stale);
  return new Map(stale.map(({ row, rendered }) => [row.id, rendered]));
}

/** An article's or page's body HTML and excerpt: the stored ones while current, else rendered now (and stored). */
export async function getArticleHtml(db: Db, row: StoredHtml): Promise<ArticleHtml> {
  return pickHtml(row, await renderStaleBodies(db, [withHtmlStored(row)]));
}

/** getArticleHtml for several rows (a feed), in their order, with one batch for whatever must be stored. */
export async function listArticleHtml<T extends StoredHtml>(db: Db, rows: readonly T[]): Promise<{ row: T; body: ArticleHtml }[]> {
  const rendered = await renderStaleBodies(db, rows.map(withHtmlStored));
  return rows.map((row) => ({ row, body: pickHtml(row, rendered) }));
}

function withHtmlStored(row: StoredHtml): StoredBody {
  return { id: row.id, slug: row.slug, bodyMd: row.bodyMd, htmlVersion: row.htmlVersion, hasStored: row.bodyHtml !== null };
}

function pickHtml(row: StoredHtml, rendered: Map<number, RenderedArticle>): ArticleHtml {
  const fresh = rendered.get(row.id);
  if (fresh) return { html: fresh.html, excerpt: fresh.excerpt };
  return { html: row.bodyHtml ?? "", excerpt: row.excerpt ?? "" };
}

/**
 * Stores each rendering only where the row still holds the body it was
 * rendered from and the html_version it was read with: a publish (or another
 * Worker) that wrote in between is never overwritten. The hash stored beside
 * it is the body's, so body_hash is right from then on. A failed store costs
 * only the next reader a render; the page is served all the same.
 */
async function storeRenderings(db: Db, stale: StaleBody[]): Promise<void> {
  const [first, ...rest] = stale.map(({ row, bodyHash, rendered }) =>
    db
      .update(articles)
      .set({ bodyHtml: rendered.html, htmlVersion: htmlVersionFor(bodyHash), excerpt: rendered.excerpt, bodyText: rendered.text, bodyHash })
      .where(and(eq(articles.id, row.id), eq(articles.bodyMd, row.bodyMd), sql`${articles.htmlVersion} IS ${row.htmlVersion}`)),
  );
  if (!first) return;
  try {
    await db.batch([first, ...rest]);
  } catch (err) {
    console.error(`rendered HTML not stored for ${stale.map(({ row }) => `"${row.slug}"`).join(", ")}:`, err);
  }
}
