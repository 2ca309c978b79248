// Test data: each test inserts the articles it needs, with unique slugs.
import { env } from "cloudflare:test";
import { htmlVersionFor, renderArticleHtml } from "../../src/articles/markdown";
import { getDb } from "../../src/db/client";
import { articleAliases, articles, articleTags, tags } from "../../src/db/schema";

let counter = 0;

/** A slug no other test uses. */
export function uniqueSlug(prefix = "test"): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}-${Math.random().toString(36).slice(2, 7)}`;
}

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface ArticleInput {
  slug?: string;
  title?: string;
  summary?: string | null;
  bodyMd?: string;
  bodyHtml?: string | null;
  htmlVersion?: string | null;
  excerpt?: string | null;
  lang?: "de" | "en";
  status?: "draft" | "published";
  publishedAt?: number | null;
  updatedAt?: number;
  author?: string | null;
  comments?: "open" | "closed";
  translationKey?: string | null;
  tags?: { slug: string; name: string }[];
  /** A static page (content/pages) instead of an article, with its navigation place and role. */
  kind?: "article" | "page";
  nav?: "header" | "footer" | null;
  navOrder?: number | null;
  role?: "imprint" | "privacy" | null;
  aliases?: string[];
  /** Leads the home page. */
  pinned?: boolean;
  image?: { url: string; alt?: string | null; width?: number | null; height?: number | null } | null;
}

/** Inserts an article (published an hour ago unless told otherwise) and returns its id and slug. */
export async function insertArticle(input: ArticleInput = {}): Promise<{ id: number; slug: string }> {
  const db = getDb(env.DB);
  const slug = input.slug ?? uniqueSlug();
  const bodyMd = input.bodyMd ?? `Ein Absatz über ${slug}.\n\n## Abschnitt\n\nMehr Text.`;
  const publishedAt = input.publishedAt === undefined ? Date.now() - 3_600_000 : input.publishedAt;
  const bodyHash = await sha256Hex(bodyMd);
  // As publish writes it: rendered once, stored with its version. `bodyHtml: null` makes a row publish never writes.
  const rendered = input.bodyHtml === undefined ? renderArticleHtml(bodyMd) : null;
  const [row] = await db
    .insert(articles)
    .values({
      slug,
      title: input.title ?? `Titel ${slug}`,
      summary: input.summary ?? null,
      bodyMd,
      bodyHash,
      bodyHtml: rendered ? rendered.html : (input.bodyHtml ?? null),
      htmlVersion: input.htmlVersion !== undefined ? input.htmlVersion : rendered ? htmlVersionFor(bodyHash) : null,
      excerpt: input.excerpt !== undefined ? input.excerpt : (rendered?.excerpt ?? null),
      bodyText: rendered?.text ?? null,
      lang: input.lang ?? "de",
      status: input.status ?? "published",
      publishedAt,
      updatedAt: input.updatedAt ?? publishedAt ?? Date.now(),
      author: input.author ?? null,
      comments: input.comments ?? "open",
      translationKey: input.translationKey ?? null,
      kind: input.kind ?? "article",
      nav: input.nav ?? null,
      navOrder: input.navOrder ?? null,
      role: input.role ?? null,
      pinned: input.pinned ?? false,
      image: input.image?.url ?? null,
      imageAlt: input.image?.alt ?? null,
      imageWidth: input.image?.width ?? null,
      imageHeight: input.image?.height ?? null,
    })
    .returning({ id: articles.id });
  if (!row) throw new Error("insert returned no row");
  for (const tag of input.tags ?? []) {
    await db.insert(tags).values(tag).onConflictDoNothing();
    const found = await env.DB.prepare("SELECT id FROM tags WHERE slug = ?").bind(tag.slug).first<{ id: number }>();
    if (!found) throw new Error(`tag ${tag.slug} missing`);
    await db.insert(articleTags).values({ articleId: row.id, tagId: found.id });
  }
  for (const alias of input.aliases ?? []) await db.insert(articleAliases).values({ slug: alias, articleId: row.id });
  return { id: row.id, slug };
}

/** Inserts a published static page (comments closed, as the publisher stores pages). */
export function insertPage(input: ArticleInput = {}): Promise<{ id: number; slug: string }> {
  return insertArticle({ comments: "closed", ...input, kind: "page" });
}
