// Generated content for the scale bench: articles with stored HTML, tags
// spread over them, and approved comments (threads with replies), written with
// large multi-row INSERTs of inlined literals (D1 binds at most 100 parameters
// a statement), a few hundred rows a statement, many statements a batch.
import { createHash } from "node:crypto";
import { htmlVersionFor } from "../../src/articles/markdown";
import type { D1Client } from "./seed";

/** The article whose comments fill many pages, and the one with a handful. */
export const BIG_THREAD_SLUG = "scale-many-comments";
export const SMALL_THREAD_SLUG = "scale-few-comments";
/** A tag carried by generated articles, in both databases. */
export const SCALE_TAG = "scale-tag-1";

export interface ScalePlan {
  /** Generated articles besides content/ (the two comment articles included). */
  articles: number;
  /** Approved comments on the big-thread article, on the small one, and spread over the others. */
  bigThreadComments: number;
  smallThreadComments: number;
  otherComments: number;
  tags: number;
}

const ROWS_PER_STATEMENT = 500;
const STATEMENTS_PER_BATCH = 20;
/** D1 refuses statements of 100 KB or more (SQLITE_TOOBIG); the literals here are ASCII but for a few umlauts. */
const MAX_STATEMENT_BYTES = 80_000;
const DAY = 86_400_000;
const BASE_TIME = Date.parse("2020-01-01T00:00:00Z");

const lit = (value: string | number | null): string =>
  value === null ? "NULL" : typeof value === "number" ? String(value) : `'${value.replaceAll("'", "''")}'`;

/** Inserts rows (arrays of literals) into `table` in multi-row statements, batched. */
export async function insertRows(db: D1Client, table: string, columns: string[], rows: (string | number | null)[][]): Promise<void> {
  const statements: string[] = [];
  const head = `INSERT INTO ${table} (${columns.join(",")}) VALUES `;
  let values: string[] = [];
  let length = 0;
  for (const row of rows) {
    const tuple = `(${row.map(lit).join(",")})`;
    if (values.length > 0 && (values.length >= ROWS_PER_STATEMENT || length + tuple.length > MAX_STATEMENT_BYTES)) {
      statements.push(head + values.join(","));
      values = [];
      length = 0;
    }
    values.push(tuple);
    length += tuple.length + 1;
  }
  if (values.length > 0) statements.push(head + values.join(","));
  for (let i = 0; i < statements.length; i += STATEMENTS_PER_BATCH) {
    await db.batch(statements.slice(i, i + STATEMENTS_PER_BATCH).map((s) => db.prepare(s)));
  }
}

function articleRow(id: number, slug: string, n: number): (string | number | null)[] {
  const body = `Artikel ${n} über kleine Unternehmen, Websites und Kommunikation.\n\nEin zweiter Absatz mit etwas mehr Text, damit die Seite nach etwas aussieht.`;
  const hash = createHash("sha256").update(body).digest("hex");
  const html = body
    .split("\n\n")
    .map((p) => `<p>${p}</p>`)
    .join("\n");
  const at = BASE_TIME + n * (DAY / 4);
  const text = body.replace(/\n+/g, " ");
  return [
    id,
    slug,
    `Artikel Nummer ${n}`,
    `Zusammenfassung ${n}`,
    body,
    hash,
    html,
    htmlVersionFor(hash),
    text.slice(0, 160),
    text,
    "de",
    "published",
    at,
    at,
    "Agenturteam",
    "open",
    "article",
  ];
}

const ARTICLE_COLUMNS = [
  "id",
  "slug",
  "title",
  "summary",
  "body_md",
  "body_hash",
  "body_html",
  "html_version",
  "excerpt",
  "body_text",
  "lang",
  "status",
  "published_at",
  "updated_at",
  "author",
  "comments",
  "kind",
];

/** Comments on one article: top-level threads, every fifth comment a reply to the thread begun just before. */
function commentRows(articleId: number, count: number, start: number): (string | number | null)[][] {
  const rows: (string | number | null)[][] = [];
  let lastTop: string | null = null;
  for (let i = 0; i < count; i++) {
    const id = `00000000-0000-4000-8000-${(start + i).toString(16).padStart(12, "0")}`;
    const parent = i % 5 === 4 ? lastTop : null;
    if (parent === null) lastTop = id;
    const body = `Kommentar ${i} zum Artikel: eine Meinung, ein Dank, eine Frage.`;
    rows.push([
      id,
      articleId,
      parent,
      `Leserin ${i % 97}`,
      `leserin${i % 97}@example.com`,
      body,
      `<p>${body}</p>`,
      "approved",
      "[]",
      BASE_TIME + start + i * 1000,
    ]);
  }
  return rows;
}

const COMMENT_COLUMNS = ["id", "article_id", "parent_id", "author", "email", "body_raw", "body_html", "status", "reasons", "created_at"];

/** Adds the generated articles, tags and comments to a database that holds content/ already. */
export async function seedScale(db: D1Client, plan: ScalePlan): Promise<{ ms: number }> {
  const began = performance.now();
  const max = await db.prepare("SELECT coalesce(max(id), 0) AS n FROM articles").first<{ n: number }>();
  const firstId = (max?.n ?? 0) + 1;
  const slugs = Array.from({ length: plan.articles }, (_, i) => (i === 0 ? BIG_THREAD_SLUG : i === 1 ? SMALL_THREAD_SLUG : `scale-${i}`));
  await insertRows(
    db,
    "articles",
    ARTICLE_COLUMNS,
    slugs.map((slug, i) => articleRow(firstId + i, slug, i)),
  );
  const tagMax = await db.prepare("SELECT coalesce(max(id), 0) AS n FROM tags").first<{ n: number }>();
  const firstTag = (tagMax?.n ?? 0) + 1;
  await insertRows(
    db,
    "tags",
    ["id", "slug", "name"],
    Array.from({ length: plan.tags }, (_, i) => [firstTag + i, `scale-tag-${i + 1}`, `Thema ${i + 1}`]),
  );
  // Two tags an article; the first tag on every few, so its page is full in both databases.
  const links = slugs.flatMap((_, i) => [
    [firstId + i, firstTag + (i % 3 === 0 ? 0 : 1 + (i % (plan.tags - 1)))],
    [firstId + i, firstTag + 1 + ((i * 7 + 3) % (plan.tags - 1))],
  ]);
  const unique = [...new Map(links.map((l) => [`${l[0]}:${l[1]}`, l])).values()];
  await insertRows(db, "article_tags", ["article_id", "tag_id"], unique);
  await insertRows(db, "comments", COMMENT_COLUMNS, commentRows(firstId, plan.bigThreadComments, 0));
  await insertRows(db, "comments", COMMENT_COLUMNS, commentRows(firstId + 1, plan.smallThreadComments, 1_000_000));
  const others = plan.articles - 2;
  if (others > 0 && plan.otherComments > 0) {
    const perArticle = Math.ceil(plan.otherComments / others);
    const rows: (string | number | null)[][] = [];
    for (let i = 0; i < others && rows.length < plan.otherComments; i++) {
      rows.push(...commentRows(firstId + 2 + i, Math.min(perArticle, plan.otherComments - rows.length), 2_000_000 + i * 1000));
    }
    await insertRows(db, "comments", COMMENT_COLUMNS, rows);
  }
  return { ms: performance.now() - began };
}
