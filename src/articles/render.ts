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
 * Bodies this isolate has already found current, by row id: the html_version
 * and the very body_md whose hash it names. The same pair again is current
 * without hashing it again (a string comparison instead of a SHA-256 of the
 * whole body on every view); any other body or version is hashed as before,
 * so a body edited by hand is still told by its own hash.
 */
const currentBodies = new Map<number, { htmlVersion: string; bodyMd: string }>();
let currentBodyChars = 0;
/** What currentBodies may hold, in characters of body_md: about a few hundred articles, a few MB of the isolate's 128 MB. */
const MAX_CURRENT_BODY_CHARS = 2_000_000;

function rememberCurrent(id: number, htmlVersion: string, bodyMd: string): void {
  const old = currentBodies.get(id);
  if (old) currentBodyChars -= old.bodyMd.length;
  currentBodies.delete(id);
  if (bodyMd.length > MAX_CURRENT_BODY_CHARS) return;
  // Oldest first out: a Map iterates in insertion order.
  for (const [oldId, entry] of currentBodies) {
    if (currentBodyChars + bodyMd.length <= MAX_CURRENT_BODY_CHARS) break;
    currentBodies.delete(oldId);
    currentBodyChars -= entry.bodyMd.length;
  }
  currentBodies.set(id, { htmlVersion, bodyMd });
  currentBodyChars += bodyMd.length;
}

/** Whether the row's html_version was made from its body_md by this renderer or a newer one (isCurrentHtml of the body's hash). */
async function isCurrentBody(row: StoredBody): Promise<{ current: boolean; bodyHash: string | null }> {
  const known = currentBodies.get(row.id);
  if (known && known.htmlVersion === row.htmlVersion && known.bodyMd === row.bodyMd) return { current: true, bodyHash: null };
  const bodyHash = await sha256Hex(row.bodyMd);
  const current = isCurrentHtml(row.htmlVersion, bodyHash);
  if (current && row.htmlVersion !== null) rememberCurrent(row.id, row.htmlVersion, row.bodyMd);
  return { current, bodyHash };
}

/**
 * Renders the rows whose stored rendering is missing or not current for their
 * body, stores them (one guarded UPDATE each, in one batch) and returns them by
 * id; rows that are current are not in the map, and nothing is written for them.
 */
export async function renderStaleBodies(db: Db, rows: readonly StoredBody[]): Promise<Map<number, RenderedArticle>> {
  const stale: StaleBody[] = [];
  for (const row of rows) {
    const { current, bodyHash } = await isCurrentBody(row);
    if (row.hasStored && current) continue;
    stale.push({ row, bodyHash: bodyHash ?? (await sha256Hex(row.bodyMd)), rendered: renderArticleHtml(row.bodyMd) });
  }
  if (stale.length === 0) return new Map();
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
