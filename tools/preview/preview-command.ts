// `npm run preview -- content/<file>.md [--remote] [--expires 7d]`: stores the
// rendered draft in D1's previews table (never in articles, so no list, feed,
// sitemap or search sees it) and prints a signed link that expires.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { renderArticleHtml } from "../../src/articles/markdown";
import { chunkText, sqlString, sqlValue } from "../../src/db/sql-text";
import { buildPreviewLink } from "../../src/previews/link";
import { readLocalSecret } from "../lib/dev-vars";
import { siteUrlFor } from "../lib/site-url";
import type { CliIo } from "../lib/terminal-io";
import { type D1Runner, type D1Target, readSourceSettings, wranglerRunner } from "../lib/wrangler";
import { parseArticleFile } from "../publish/front-matter";
import { PREVIEW_USAGE, type PreviewArgs, parsePreviewArgs } from "./preview-args";

/** UTF-16 units of HTML per statement: at 3 bytes each in UTF-8 (a surrogate pair is 4 for 2), quotes doubled, under D1's 100 KB. */
const CHUNK_UNITS = 25_000;

/** Runs the preview command; resolves to the exit code. */
export async function runPreview(argv: string[], io: CliIo, runner?: D1Runner): Promise<number> {
  const args = parsePreviewArgs(argv);
  if (typeof args === "string") {
    io.err(`${args}\n\n${PREVIEW_USAGE}`);
    return 2;
  }
  try {
    return await storePreview(args, io, runner ?? wranglerRunner(args.target));
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 1;
  }
}

async function storePreview(args: PreviewArgs, io: CliIo, runner: D1Runner): Promise<number> {
  const settings = await readSourceSettings(args.target.config);
  const relative = path.relative(path.resolve(args.contentDir), path.resolve(args.file)).split(path.sep).join("/");
  if (relative.startsWith("..") || path.isAbsolute(relative)) throw new Error(`${args.file}: not inside the content directory ${args.contentDir}`);
  const text = await readFile(args.file, "utf8").catch(() => {
    throw new Error(`${args.file}: no such file`);
  });
  const parsed = await parseArticleFile(relative, text, settings);
  if (!parsed.ok) {
    for (const e of parsed.errors) io.err(`${args.file}:${e.line}: ${e.message}`);
    return 1;
  }
  const secret = await readPreviewSecret(args.target);
  // Before anything is stored: a preview whose link cannot be given out is of no use.
  const siteUrl = await siteUrlFor(args.target);
  const { fields, bodyMd } = parsed.value;
  const id = randomBytes(16).toString("base64url");
  const now = Date.now();
  const expiresAt = now + args.expiresMs;
  await runner.apply(
    previewStatements({ id, slug: fields.slug, title: fields.title, lang: fields.lang, html: renderArticleHtml(bodyMd).html, now, expiresAt }),
  );
  io.out(`Preview of ${args.file} (not published), until ${new Date(expiresAt).toISOString()}:`);
  io.out(await buildPreviewLink(siteUrl, secret, id, expiresAt));
  return 0;
}

interface PreviewRow {
  id: string;
  slug: string;
  title: string;
  lang: string;
  html: string;
  now: number;
  expiresAt: number;
}

/** One transaction: expired previews go, the new one comes, its body in chunks under D1's statement limit. */
function previewStatements(row: PreviewRow): string[] {
  const id = sqlString(row.id);
  return [
    `DELETE FROM previews WHERE expires_at <= ${sqlValue(row.now)};`,
    `INSERT INTO previews (id, slug, title, lang, body_html, created_at, expires_at) VALUES (${id}, ${sqlString(row.slug)}, ${sqlString(row.title)}, ${sqlString(row.lang)}, '', ${sqlValue(row.now)}, ${sqlValue(row.expiresAt)});`,
    ...chunkText(row.html, CHUNK_UNITS).map((chunk) => `UPDATE previews SET body_html = body_html || ${sqlString(chunk)} WHERE id = ${id};`),
  ];
}

/** PREVIEW_SECRET from the environment, or locally from .dev.vars (where wrangler dev reads it too). */
async function readPreviewSecret(target: D1Target): Promise<string> {
  const secret = (await readLocalSecret("PREVIEW_SECRET", target)) ?? "";
  if (secret.length >= 16) return secret;
  const where = target.remote
    ? "in the environment: PREVIEW_SECRET=… npm run preview -- … --remote (the value of `wrangler secret put PREVIEW_SECRET`)"
    : "in .dev.vars (see .dev.vars.example) or the environment";
  throw new Error(`PREVIEW_SECRET (at least 16 characters) is needed to sign the link; set it ${where}`);
}
