// A submitter sees their own comment while it waits, as WordPress shows it
// after posting through ?unapproved=<id>&moderation-hash=<hash>: in its place
// in the thread, marked as awaiting moderation, and before the queue consumer
// has stored it, a note that it is being processed. The hash is an HMAC
// (FORM_SECRET, with its own prefix) over the comment id and an expiry, so
// another id, a changed expiry or an old link shows nothing. It works for ten
// minutes, as WordPress's does: long enough to see the comment arrive, short
// enough that a link passed on soon stops showing it.
//
// A comment the rules held as spam is shown to its submitter as waiting too
// (WordPress shows only held ones): the consumer decides after the redirect,
// and a different answer would tell a spammer which words the filter knows.
import type { Db } from "../db/client";
import { COMMENT_PENDING, COMMENT_SPAM } from "../db/schema";
import { signHmac, verifyHmac } from "../lib/crypto";
import { COMMENT_ID_PATTERN } from "./message";
import { getOwnComment, type PublicComment } from "./queries";
import { type CommentPageRequest, getCommentPlace } from "./thread-queries";

/** How long after submitting the link shows the comment. */
export const MODERATION_HASH_MAX_AGE_MS = 10 * 60_000;

/** The query parameters, named as WordPress names them. */
export const UNAPPROVED_PARAM = "unapproved";
export const MODERATION_HASH_PARAM = "moderation-hash";

const HASH_PATTERN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

const hashMessage = (id: string, expires: number) => `unapproved|${id}|${expires}`;

/** The hash for a comment submitted at `now`: "<expiry in epoch seconds>.<signature>". */
export async function signModerationHash(secret: string, id: string, now: number): Promise<string> {
  const expires = Math.floor((now + MODERATION_HASH_MAX_AGE_MS) / 1000);
  return `${expires}.${await signHmac(secret, hashMessage(id, expires))}`;
}

/** Where a submitter sees their comment: the article with the pair, at the comment. */
export function ownCommentPath(slug: string, id: string, hash: string): string {
  return `/articles/${slug}?${UNAPPROVED_PARAM}=${id}&${MODERATION_HASH_PARAM}=${hash}#comment-${id}`;
}

/** The comment id when the pair (untrusted query values) is ours, for that id, and not expired; else null. */
export async function checkModerationHash(secret: string, unapproved: unknown, hash: unknown, now: number): Promise<string | null> {
  if (typeof unapproved !== "string" || !COMMENT_ID_PATTERN.test(unapproved) || typeof hash !== "string") return null;
  const match = HASH_PATTERN.exec(hash);
  if (!match) return null;
  const expires = Number(match[1]);
  if (!(await verifyHmac(secret, hashMessage(unapproved, expires), match[2] ?? ""))) return null;
  return expires * 1000 > now ? unapproved : null;
}

/** What the link shows: the waiting comment, or (comment null) a note that it is still being processed. */
export interface OwnCommentView {
  id: string;
  comment: PublicComment | null;
}

/**
 * What a checked link shows on the article `slug`: the comment while it waits
 * (pending, or held as spam), the note while it is not stored yet, or null
 * when there is nothing to add (approved: it is public now; trashed; or on
 * another article).
 */
export async function loadOwnComment(db: Db, id: string, slug: string): Promise<OwnCommentView | null> {
  const row = await getOwnComment(db, id);
  if (!row) return { id, comment: null };
  if (row.articleSlug !== slug || (row.status !== COMMENT_PENDING && row.status !== COMMENT_SPAM)) return null;
  const { status: _status, articleSlug: _slug, ...comment } = row;
  return { id, comment };
}

/**
 * The comment page where the waiting comment stands, when the link names no
 * page: a reply's is its parent's, a new thread's the last. Null: the default page.
 */
export async function findOwnCommentPage(db: Db, own: OwnCommentView, perPage: number, now: number): Promise<CommentPageRequest | null> {
  if (!own.comment || perPage === 0) return null;
  if (!own.comment.parentId) return "last";
  const place = await getCommentPlace(db, own.comment.parentId, now);
  return place ? Math.floor(place.threadsBefore / perPage) + 1 : "last";
}
