// Every URL form a WordPress site answers, read into what it asks for: the
// query forms (/?p=12, /?s=, /?cat=3, /?feed=rss2, on / and /index.php),
// date archives (/2014/03/), list pages (/page/2/), term and author archives,
// and the suffixes WordPress adds to any of them (/feed/, /amp/,
// /comment-page-2/, /page/2/, an /index.php/ prefix). Pure: what the forms
// lead to is resolve.ts's.
import { hasWordPressQuery, normalizeRedirectKey } from "./normalize";

type FeedFile = "feed.xml" | "atom.xml";

/** What WordPress adds to a page's URL, and so to its new home's. */
export type OldSuffix = { kind: "none" } | { kind: "feed"; file: FeedFile } | { kind: "comment-page"; page: number } | { kind: "page"; page: number };

export type OldUrl =
  /** Known without D1 (search, the site's feeds). */
  | { kind: "location"; location: string }
  /** A page of the home's list (/page/2/, /?paged=2). */
  | { kind: "home-page"; page: number }
  /** A date archive: a year, or a month (a day's archive is its month's). */
  | { kind: "date"; year: number; month: number | null; page: number }
  /**
   * Rows of the redirects table, best first, and what to add to the target
   * (not when the row of `whole`, the URL with its suffix, is found); `final`:
   * a WordPress form, so nothing found is a 404.
   */
  | { kind: "lookup"; keys: string[]; whole: string | null; suffix: OldSuffix; final: boolean }
  /** A WordPress form that leads nowhere here: a real 404. */
  | { kind: "not-found" };

/** Query parameters of WordPress's own URLs on / and /index.php (the home's own ?page= is not one of them). */
const QUERY_FORMS = [
  "p",
  "page_id",
  "attachment_id",
  "s",
  "feed",
  "cat",
  "category_name",
  "tag",
  "author",
  "author_name",
  "m",
  "year",
  "monthnum",
  "day",
  "paged",
  "cpage",
] as const;

/** Deepest list page an old URL is read for (the lists here stop earlier). */
const MAX_PAGE = 100_000;
const ID = /^[1-9]\d{0,17}$/;
const PAGE = /^[1-9]\d{0,5}$/;
const TERM = /^[^/?#\\]{1,200}$/;

const FEEDS = new Map<string, string>([
  ["", "/feed.xml"],
  ["rss2", "/feed.xml"],
  ["rss", "/feed.xml"],
  ["rdf", "/feed.xml"],
  ["atom", "/atom.xml"],
  ["comments-rss2", "/comments/feed.xml"],
  ["comments-atom", "/comments/atom.xml"],
]);

/** True when the URL is / or /index.php with a WordPress query: answered here, before the home page is. */
export function isOldQueryUrl(url: URL): boolean {
  return isRootPath(url.pathname) && QUERY_FORMS.some((key) => url.searchParams.has(key));
}

function isRootPath(pathname: string): boolean {
  return pathname === "/" || /^\/index\.php\/?$/i.test(pathname);
}

/** What an old URL asks for, or null when it has no WordPress form (a plain unknown path, looked up as it is). */
export function parseOldUrl(url: URL): OldUrl | null {
  if (isOldQueryUrl(url)) return parseQueryForm(url.searchParams);
  if (hasWordPressQuery(url.href)) {
    // A blog that lived in a folder (/blog/?p=12): its rows, stored as they were.
    const key = normalizeRedirectKey(url.href);
    return key === null ? null : { kind: "lookup", keys: [key], whole: key, suffix: { kind: "none" }, final: false };
  }
  if (/^\/index\.php\/?$/i.test(url.pathname)) return { kind: "location", location: "/" };
  const full = normalizeRedirectKey(url.pathname);
  // Broken percent-encoding names no page here or there.
  if (full === null || !decodes(url.pathname)) return { kind: "not-found" };
  let segments = full.split("/").filter((s) => s !== "");
  const prefixed = segments[0] === "index.php";
  if (prefixed) segments = segments.slice(1);
  const { rest, suffix, amp } = splitSuffix(segments);
  const shaped = prefixed || amp || suffix.kind !== "none";
  if (suffix.kind === "page" && suffix.page < 1) return { kind: "not-found" };
  if (rest.length === 0) return homeForm(suffix);
  const date = parseDate(rest);
  if (date === "invalid") return { kind: "not-found" };
  if (date) return suffix.kind === "feed" ? { kind: "location", location: `/${suffix.file}` } : dateForm(date, suffix);
  const base = `/${rest.join("/")}`;
  if (base === "/comments" && suffix.kind === "feed") return { kind: "location", location: `/comments/${suffix.file}` };
  const keys = shaped ? [full, base] : [full];
  const termBase = rest[0] === "category" || rest[0] === "tag" || rest[0] === "author";
  return { kind: "lookup", keys: [...new Set(keys)], whole: full, suffix, final: shaped || termBase };
}

function decodes(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

function homeForm(suffix: OldSuffix): OldUrl {
  if (suffix.kind === "feed") return { kind: "location", location: `/${suffix.file}` };
  if (suffix.kind === "page") return { kind: "home-page", page: suffix.page };
  return suffix.kind === "none" ? { kind: "location", location: "/" } : { kind: "not-found" };
}

/** Peels WordPress's suffixes off the end: /amp, then one of /feed[/type], /comment-page-N, /page/N. */
function splitSuffix(segments: string[]): { rest: string[]; suffix: OldSuffix; amp: boolean } {
  let rest = segments;
  const amp = rest.at(-1) === "amp";
  if (amp) rest = rest.slice(0, -1);
  const last = rest.at(-1) ?? "";
  const beforeLast = rest.at(-2);
  if (beforeLast === "feed" && FEEDS.has(last) && last !== "") return { rest: rest.slice(0, -2), suffix: feedSuffix(last), amp };
  if (last === "feed") return { rest: rest.slice(0, -1), suffix: { kind: "feed", file: "feed.xml" }, amp };
  const commentPage = /^comment-page-([1-9]\d{0,5})$/.exec(last);
  if (commentPage) return { rest: rest.slice(0, -1), suffix: { kind: "comment-page", page: Number(commentPage[1]) }, amp };
  // /page/0/ and /page/<too many digits>/ are list pages that never exist.
  if (beforeLast === "page" && /^\d+$/.test(last)) return { rest: rest.slice(0, -2), suffix: { kind: "page", page: PAGE.test(last) ? Number(last) : 0 }, amp };
  return { rest, suffix: { kind: "none" }, amp };
}

function feedSuffix(type: string): OldSuffix {
  return { kind: "feed", file: type === "atom" || type === "comments-atom" ? "atom.xml" : "feed.xml" };
}

interface DateParts {
  year: number;
  month: number | null;
}

/** /YYYY, /YYYY/MM or /YYYY/MM/DD; "invalid" for that shape without a real date (/2014/13/); null for any other shape. */
function parseDate(rest: string[]): DateParts | "invalid" | null {
  if (rest.length > 3 || !rest.every((s) => /^\d+$/.test(s)) || !/^\d{4}$/.test(rest[0] ?? "")) return null;
  const [y = "", m, d] = rest;
  const year = Number(y);
  const month = m === undefined ? null : Number(m);
  if (month !== null && (m?.length !== 2 || month < 1 || month > 12)) return "invalid";
  if (d !== undefined && (d.length !== 2 || Number(d) < 1 || Number(d) > daysIn(year, month ?? 1))) return "invalid";
  return { year, month };
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function dateForm(date: DateParts, suffix: OldSuffix): OldUrl {
  if (suffix.kind === "comment-page") return { kind: "not-found" };
  return { kind: "date", ...date, page: suffix.kind === "page" ? suffix.page : 1 };
}

/** The first value of a parameter, trimmed; "" when absent. */
function param(params: URLSearchParams, key: string): string {
  return (params.get(key) ?? "").trim();
}

function parseQueryForm(params: URLSearchParams): OldUrl {
  const feed = params.has("feed") ? param(params, "feed").toLowerCase() : null;
  if (feed !== null && !FEEDS.has(feed)) return { kind: "not-found" };
  const paged = param(params, "paged");
  const page = PAGE.test(paged) && Number(paged) <= MAX_PAGE ? Number(paged) : paged === "" ? 1 : null;
  if (page === null) return { kind: "not-found" };
  const suffix = querySuffix(feed, param(params, "cpage"), page);
  for (const key of ["p", "page_id", "attachment_id"] as const) {
    if (!params.has(key)) continue;
    const id = param(params, key);
    if (!ID.test(id)) return { kind: "not-found" };
    const others = key === "p" ? ["attachment_id", "page_id"] : ["p"];
    return { kind: "lookup", keys: [`/?${key}=${id}`, ...others.map((k) => `/?${k}=${id}`)], whole: null, suffix, final: true };
  }
  if (params.has("s")) {
    const q = params.get("s") ?? "";
    return { kind: "location", location: `/search?q=${encodeURIComponent(q)}${page > 1 ? `&page=${page}` : ""}` };
  }
  const term = termKeys(params);
  if (term) return term === "not-found" ? { kind: "not-found" } : { kind: "lookup", keys: term, whole: null, suffix, final: true };
  const date = queryDate(params);
  if (date === "not-found") return { kind: "not-found" };
  if (date) return feed !== null ? { kind: "location", location: FEEDS.get(feed) ?? "/feed.xml" } : { kind: "date", ...date, page };
  if (feed !== null) return { kind: "location", location: FEEDS.get(feed) ?? "/feed.xml" };
  if (page > 1) return { kind: "home-page", page };
  // ?paged=1 or ?cpage= alone: the home page itself.
  return params.has("paged") && !params.has("cpage") ? { kind: "location", location: "/" } : { kind: "not-found" };
}

/** What ?feed=, ?cpage= and ?paged= add to the page the other parameters name. */
function querySuffix(feed: string | null, cpage: string, page: number): OldSuffix {
  if (feed !== null) return feedSuffix(feed);
  if (PAGE.test(cpage)) return { kind: "comment-page", page: Number(cpage) };
  return page > 1 ? { kind: "page", page } : { kind: "none" };
}

/** The redirect keys of ?cat=, ?category_name=, ?tag=, ?author=, ?author_name=; null when none is given. */
function termKeys(params: URLSearchParams): string[] | "not-found" | null {
  const lower = (key: string) => param(params, key).toLowerCase();
  if (params.has("cat")) {
    const cat = lower("cat");
    if (ID.test(cat)) return [`/?cat=${cat}`];
    return TERM.test(cat) && !cat.startsWith("-") ? keyOf(`/category/${encodeURIComponent(cat)}`) : "not-found";
  }
  if (params.has("category_name")) {
    const path = lower("category_name");
    return /^[^?#\\]{1,400}$/.test(path) ? keyOf(`/category/${path.split("/").map(encodeURIComponent).join("/")}`) : "not-found";
  }
  if (params.has("tag")) {
    const tag = lower("tag");
    return TERM.test(tag) && !/[,+ ]/.test(tag) ? keyOf(`/tag/${encodeURIComponent(tag)}`) : "not-found";
  }
  if (params.has("author")) {
    const author = lower("author");
    return ID.test(author) ? [`/?author=${author}`] : "not-found";
  }
  if (params.has("author_name")) {
    const name = lower("author_name");
    return TERM.test(name) ? keyOf(`/author/${encodeURIComponent(name)}`) : "not-found";
  }
  return null;
}

function keyOf(path: string): string[] | "not-found" {
  const key = normalizeRedirectKey(path);
  return key === null ? "not-found" : [key];
}

/** ?m=YYYYMM[DD] or ?year=&monthnum=: a date archive; null when neither is given. */
function queryDate(params: URLSearchParams): DateParts | "not-found" | null {
  if (params.has("m")) {
    const m = /^(\d{4})(\d{2})?(\d{2})?$/.exec(param(params, "m"));
    const parsed = m ? parseDate([m[1] ?? "", m[2], m[3]].filter((s): s is string => s !== undefined)) : null;
    return parsed === null || parsed === "invalid" ? "not-found" : parsed;
  }
  if (!params.has("year") && !params.has("monthnum") && !params.has("day")) return null;
  const parts = [param(params, "year"), param(params, "monthnum"), param(params, "day")].filter((s) => s !== "");
  if (!params.has("year") || (params.has("day") && !params.has("monthnum"))) return "not-found";
  const parsed = parseDate(parts.map((s) => s.padStart(2, "0")));
  return parsed === null || parsed === "invalid" ? "not-found" : parsed;
}
