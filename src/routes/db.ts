// Which D1 a request reads. Readers go through the D1 Sessions API to the
// nearest replica; whoever just wrote (an editor, a commenter) carries a
// bookmark cookie so their next reads see their own writes; writes start at
// the primary.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type Db, getDb } from "../db/client";
import type { AppEnv } from "../env";
import { wantsSecureCookies } from "../lib/cookies";

const BOOKMARK_COOKIE = "d1_bookmark";
/** Replicas catch up within seconds; the bookmark only needs to outlive that. */
const BOOKMARK_MAX_AGE_SECONDS = 60;
const BOOKMARK_PATTERN = /^[\w-]{1,200}$/;

/** The database for reader pages: any replica, or one at least as new as the reader's bookmark. */
export function readerDb(c: Context<AppEnv>): Db {
  const bookmark = getCookie(c, BOOKMARK_COOKIE);
  return getDb(c.env.DB.withSession(bookmark && BOOKMARK_PATTERN.test(bookmark) ? bookmark : "first-unconstrained"));
}

/**
 * The database for requests that write (comments, moderation): starts at the
 * primary, and hands the reader a bookmark of what it wrote when it is done.
 */
export function writerDb(c: Context<AppEnv>): Db {
  const session = c.env.DB.withSession("first-primary");
  c.set("d1Session", session);
  return getDb(session);
}

/** Sets the bookmark cookie after a request that used writerDb. */
export function handOutBookmark(c: Context<AppEnv>): void {
  const bookmark = c.get("d1Session")?.getBookmark();
  if (!bookmark || !BOOKMARK_PATTERN.test(bookmark)) return;
  setCookie(c, BOOKMARK_COOKIE, bookmark, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: wantsSecureCookies(c.req.url),
    maxAge: BOOKMARK_MAX_AGE_SECONDS,
  });
}
