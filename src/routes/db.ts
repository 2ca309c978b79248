// Which D1 a request reads. Readers go through the D1 Sessions API to the
// nearest replica; whoever just wrote (an editor, a commenter) carries a
// bookmark cookie so their next reads see their own writes; writes start at
// the primary.
//
// One session per request, opened on first use and kept on the context: two
// sessions could answer one page from two replicas at different points in
// time, and the bookmark handed out would be whichever ran last. A request
// that writes reads and writes through one "first-primary" session, so what it
// reads after its write includes the write.
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { type Db, getDb } from "../db/client";
import type { AppEnv, RequestDatabase } from "../env";
import { wantsSecureCookies } from "../lib/cookies";

const BOOKMARK_COOKIE = "d1_bookmark";
/** Replicas catch up within seconds; the bookmark only needs to outlive that. */
const BOOKMARK_MAX_AGE_SECONDS = 60;
const BOOKMARK_PATTERN = /^[\w-]{1,200}$/;

function openSession(c: Context<AppEnv>, constraintOrBookmark: string, writes: boolean): Db {
  const session = c.env.DB.withSession(constraintOrBookmark);
  const opened: RequestDatabase = { db: getDb(session), session, writes };
  c.set("database", opened);
  return opened.db;
}

/** The database for reader pages: any replica, or one at least as new as the reader's bookmark; the request's session once opened. */
export function readerDb(c: Context<AppEnv>): Db {
  const opened = c.get("database");
  if (opened) return opened.db;
  const bookmark = getCookie(c, BOOKMARK_COOKIE);
  return openSession(c, bookmark && BOOKMARK_PATTERN.test(bookmark) ? bookmark : "first-unconstrained", false);
}

/**
 * The database for requests that write (comments, moderation): a session that
 * starts at the primary, for the request's reads and writes alike; it hands
 * the reader a bookmark of what it wrote when it is done. A request that read
 * before it knew it would write goes on at the primary from here.
 */
export function writerDb(c: Context<AppEnv>): Db {
  const opened = c.get("database");
  if (opened?.writes) return opened.db;
  return openSession(c, "first-primary", true);
}

/** Sets the bookmark cookie after a request that used writerDb: the bookmark of its session. */
export function handOutBookmark(c: Context<AppEnv>): void {
  const opened = c.get("database");
  const bookmark = opened?.writes ? opened.session.getBookmark() : null;
  if (!bookmark || !BOOKMARK_PATTERN.test(bookmark)) return;
  setCookie(c, BOOKMARK_COOKIE, bookmark, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: wantsSecureCookies(c.req.url),
    maxAge: BOOKMARK_MAX_AGE_SECONDS,
  });
}
