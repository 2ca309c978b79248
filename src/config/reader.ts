// The reader pages' concern of Env: how comments are paged and how long a
// sitemap file may get. Nothing here is secret.
import * as v from "valibot";
import { cached, got, type Input, orDefault, parseConcern, text, wholeNumber } from "./parse";

const COMMENT_PAGE_ORDERS = ["newest", "oldest"] as const;
export type CommentPageOrder = (typeof COMMENT_PAGE_ORDERS)[number];

/** The sitemap protocol's limit of URLs per file (https://www.sitemaps.org/protocol.html). */
const SITEMAP_PROTOCOL_MAX_URLS = 50_000;
/**
 * URLs per sitemap file by default: well under the protocol's limit, so that
 * one request's cost stays bounded (a 10,000-URL sitemap in one file cost 30
 * times a small one); crawlers fetch the parts of the index one by one.
 */
const SITEMAP_DEFAULT_MAX_URLS = 1000;

const readerSchema = v.object({
  COMMENTS_PER_PAGE: wholeNumber("COMMENTS_PER_PAGE", "50", "a whole number of top-level comments (0: all on one page)"),
  COMMENTS_DEFAULT_PAGE: v.pipe(
    text(),
    orDefault("newest"),
    v.picklist(COMMENT_PAGE_ORDERS, (i) => `wrangler var COMMENTS_DEFAULT_PAGE must be "newest" or "oldest", ${got(i)}`),
  ),
  SITEMAP_MAX_URLS: v.pipe(
    wholeNumber("SITEMAP_MAX_URLS", String(SITEMAP_DEFAULT_MAX_URLS), `a whole number from 2 to ${SITEMAP_PROTOCOL_MAX_URLS}`),
    v.check(
      (n) => n >= 2 && n <= SITEMAP_PROTOCOL_MAX_URLS,
      (i) => `wrangler var SITEMAP_MAX_URLS must be a whole number from 2 to ${SITEMAP_PROTOCOL_MAX_URLS}, ${got(i)}`,
    ),
  ),
});

export interface ReaderSettings {
  /** Top-level comments (each with its whole thread) per comment page; 0 shows every comment on the article page. */
  commentsPerPage: number;
  /** Which comment page the article URL shows: the newest (as WordPress) or the oldest. */
  commentsDefaultPage: CommentPageOrder;
  /** URLs per sitemap file; more make /sitemap.xml an index of parts. */
  sitemapMaxUrls: number;
}

/** Comment paging and sitemap size; a bad value throws a ConfigError naming the var. */
export function getReaderSettings(env: object): ReaderSettings {
  return cached(env, "reader", () => {
    const s = parseConcern(readerSchema, env as Input);
    return { commentsPerPage: s.COMMENTS_PER_PAGE, commentsDefaultPage: s.COMMENTS_DEFAULT_PAGE, sitemapMaxUrls: s.SITEMAP_MAX_URLS };
  });
}
