// Where an old URL goes: one 301 to the page it means now, or a real 404.
// The redirects table holds what the import knew (each post's and page's old
// links and ids, terms, authors, uploads); the forms WordPress derives from
// those (feeds, pages, AMP, comment pages, date archives, queries) are read
// by old-urls.ts and applied here, so no old URL answers with a chain.
import { ARCHIVE_FIRST_YEAR } from "../articles/archive-queries";
import { listPublishedArticles } from "../articles/queries";
import { getMonthStart } from "../articles/site-dates";
import { commentPagePath, countCommentPages, getDefaultCommentPage } from "../comments/comment-pages";
import { commentPageInfoQuery } from "../comments/thread-queries";
import type { ReaderSettings } from "../config";
import type { Db } from "../db/client";
import type { Language } from "../db/schema";
import { SLUG_PATTERN } from "../lib/slug";
import { MAX_LIST_PAGE, PAGE_SIZE } from "../views/article-list";
import { type OldSuffix, type OldUrl, parseOldUrl } from "./old-urls";
import { getVisibleTarget, listRedirectRows } from "./queries";

interface ResolveOptions {
  now: number;
  defaultLang: Language;
  timeZone: string;
  /** How comments are paged, for an old /comment-page-N/. */
  comments: Pick<ReaderSettings, "commentsPerPage" | "commentsDefaultPage">;
}

/** A redirect (always a path on this site), a real 404, or null: no WordPress form, leave the answer as it is. */
export type OldUrlAnswer = { location: string; status: 301 | 302 | 307 | 308 } | { notFound: true } | null;

const NOT_FOUND = { notFound: true } as const;
const STATUSES = new Set([301, 302, 307, 308]);

/** Where the old URL `url` goes now. */
export async function resolveOldUrl(db: Db, url: URL, opts: ResolveOptions): Promise<OldUrlAnswer> {
  const form = parseOldUrl(url);
  if (form === null) return null;
  const answer = await resolveForm(db, form, opts);
  if (answer === null) return form.kind === "lookup" && !form.final ? null : NOT_FOUND;
  if ("notFound" in answer) return answer;
  return isLocalPath(answer.location) ? answer : NOT_FOUND;
}

async function resolveForm(db: Db, form: OldUrl, opts: ResolveOptions): Promise<OldUrlAnswer> {
  switch (form.kind) {
    case "location":
      return { location: form.location, status: 301 };
    case "not-found":
      return NOT_FOUND;
    case "home-page":
      if (form.page === 1) return { location: "/", status: 301 };
      return (await hasListPage(db, form.page, opts)) ? { location: `/?page=${form.page}`, status: 301 } : NOT_FOUND;
    case "date":
      return resolveDate(db, form, opts);
    case "lookup":
      return resolveLookup(db, form, opts);
  }
}

/** The list holds a page `page` (of PAGE_SIZE), optionally of one tag or within a date range. */
async function hasListPage(db: Db, page: number, opts: ResolveOptions, filter: { tagSlug?: string; range?: { from: number; to: number } } = {}) {
  if (page > MAX_LIST_PAGE) return false;
  const found = await listPublishedArticles(db, { now: opts.now, limit: 1, offset: (page - 1) * PAGE_SIZE, defaultLang: opts.defaultLang, ...filter });
  return found.items.length > 0;
}

/** A month's archive is /archive/YYYY/MM (a day's is its month's); a year's is its heading in /archive. */
async function resolveDate(db: Db, form: Extract<OldUrl, { kind: "date" }>, opts: ResolveOptions): Promise<OldUrlAnswer> {
  if (form.year < ARCHIVE_FIRST_YEAR) return NOT_FOUND;
  const { year, month } = form;
  const range =
    month === null
      ? { from: getMonthStart(year, 1, opts.timeZone), to: getMonthStart(year, 13, opts.timeZone) }
      : { from: getMonthStart(year, month, opts.timeZone), to: getMonthStart(year, month + 1, opts.timeZone) };
  // A year's page N has no counterpart here: its articles are all one list, the archive.
  if (!(await hasListPage(db, month === null ? 1 : form.page, opts, { range }))) return NOT_FOUND;
  if (month === null) return { location: `/archive#year-${year}`, status: 301 };
  const path = `/archive/${year}/${String(month).padStart(2, "0")}`;
  return { location: form.page > 1 ? `${path}?page=${form.page}` : path, status: 301 };
}

async function resolveLookup(db: Db, form: Extract<OldUrl, { kind: "lookup" }>, opts: ResolveOptions): Promise<OldUrlAnswer> {
  const [row] = await listRedirectRows(db, form.keys);
  if (!row) return null;
  const suffix: OldSuffix = row.fromPath === form.whole ? { kind: "none" } : form.suffix;
  const status = STATUSES.has(row.status) ? (row.status as 301 | 302 | 307 | 308) : 301;
  const target = await checkTarget(db, row.toPath, opts.now);
  if (target === null) return NOT_FOUND;
  if (suffix.kind === "comment-page" && ARTICLE_PATH.test(target)) return { location: await commentPageOf(db, target, suffix.page, opts), status };
  const location = withSuffix(target, suffix);
  if (location === null) return NOT_FOUND;
  // A list's page N (a term's, the home's): only while the list reaches that far.
  const listPage = /^(?:\/tags\/([a-z0-9-]+))?\/?\?page=(\d+)$/.exec(location);
  if (listPage && !(await hasListPage(db, Number(listPage[2]), opts, listPage[1] ? { tagSlug: listPage[1] } : {}))) return NOT_FOUND;
  return { location, status };
}

/** The stored target, its article or static page checked to be visible (and followed to its current slug); null when hidden or gone. */
async function checkTarget(db: Db, toPath: string, now: number): Promise<string | null> {
  const article = /^\/articles\/([^/?#]+)(.*)$/.exec(toPath);
  const page = /^\/([^/?#]+)$/.exec(toPath);
  const slug = article?.[1] ?? page?.[1];
  if (slug === undefined || !SLUG_PATTERN.test(slug)) return toPath;
  const target = await getVisibleTarget(db, slug, now);
  if (!target) return null;
  if (target.kind === "page") return `/${target.slug}`;
  return `/articles/${target.slug}${article?.[2] ?? ""}`;
}

const ARTICLE_PATH = /^\/articles\/[a-z0-9-]+$/;

/** An old comment page: the article's page of that number while it has one (one URL for the default page), else the article; at its comments. */
async function commentPageOf(db: Db, articlePath: string, page: number, opts: ResolveOptions): Promise<string> {
  const slug = articlePath.slice("/articles/".length);
  const perPage = opts.comments.commentsPerPage;
  const [info] = await commentPageInfoQuery(db, slug, perPage, page);
  const pages = countCommentPages(info?.threads ?? 0, perPage);
  const path = page > pages ? articlePath : commentPagePath(slug, page, getDefaultCommentPage(pages, opts.comments.commentsDefaultPage));
  return `${path}#comments`;
}

/** The page WordPress's suffix asks for, on the new home of the URL it was added to. */
function withSuffix(target: string, suffix: OldSuffix): string | null {
  if (suffix.kind === "none") return target;
  const article = ARTICLE_PATH.test(target);
  const tag = /^\/tags\/[a-z0-9-]+$/.test(target);
  switch (suffix.kind) {
    case "feed":
      // A post's feed was its comments; a term's its posts; a page's (no comments here) the site's comments; the home's (an author's) the site's.
      if (article) return `${target}/comments/${suffix.file}`;
      if (tag) return `${target}/${suffix.file}`;
      if (SLUG_PATH.test(target)) return `/comments/${suffix.file}`;
      return target === "/" ? `/${suffix.file}` : null;
    case "comment-page":
      // An article's is commentPageOf's; a static page has no comment pages.
      return SLUG_PATH.test(target) ? target : null;
    case "page":
      if (tag || target === "/") return suffix.page > 1 ? `${target}?page=${suffix.page}` : target;
      return article || SLUG_PATH.test(target) ? target : null;
  }
}

const SLUG_PATH = /^\/[a-z0-9]+(?:-[a-z0-9]+)*$/;

/**
 * A path on this site, never another host: one leading slash (not "//" or
 * "/\", which browsers read as a host), and nothing a Location header or a
 * browser could read otherwise (control characters, backslashes).
 */
function isLocalPath(location: string): boolean {
  return /^\/(?![/\\])/.test(location) && !/[\\\u0000-\u001f\u007f\s]/.test(location);
}
