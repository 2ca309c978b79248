// WordPress comments as rows of the blog's comments table: status mapped,
// threads kept, text through the same sanitizer as new comments, the IP only
// as the Worker's salted hash, and ids derived from the site and the
// WordPress comment id, so importing again adds nothing twice.
import { createHash } from "node:crypto";
import { parseSafeUrl, renderCommentHtml } from "../../src/comments/sanitize";
import type { CommentRecord, CommentStatus } from "../../src/db/schema";
import { parsePostTime } from "./dates";
import type { WxrComment } from "./wxr-types";

/** The columns an imported comment fills; the rest keep their defaults. */
export type CommentRow = Pick<
  CommentRecord,
  "id" | "parentId" | "author" | "email" | "url" | "bodyRaw" | "bodyHtml" | "status" | "ipHash" | "createdAt" | "decidedAt" | "wordpressId"
>;

export interface CommentOptions {
  /** base_blog_url (or the channel link): the site the WordPress ids belong to. */
  site: string;
  /** IP_HASH_SALT; without it IP addresses are not stored at all. */
  ipSalt: string | null;
  pingbacks: boolean;
  timeZone: string;
  /** Turns the text's links to the old site's posts, pages, terms and uploads into their new paths. */
  rewriteLinks?: (html: string) => string;
}

export interface CommentTally {
  rows: CommentRow[];
  pingbacksSkipped: number;
  /** Comments of other types (editorial notes, a plugin's), which readers never saw: left out, counted by type. */
  otherTypes: Map<string, number>;
  /** Row id → the comment_approved value WordPress does not write (such rows are pending). */
  unknownStatuses: Map<string, string>;
}

const STATUS = new Map<string, CommentStatus>([
  ["1", "approved"],
  ["0", "pending"],
  ["spam", "spam"],
  ["trash", "trash"],
  ["post-trashed", "trash"],
]);
// RFC 4122's URL namespace: the name hashed is a URL of the comment on the old site.
const URL_NAMESPACE = Buffer.from("6ba7b8119dad11d180b400c04fd430c8", "hex");

/** The UUID (version 5) of a WordPress comment: `<site>#comment-<id>` in the URL namespace. */
export function deriveCommentId(site: string, wordpressId: string): string {
  const hash = createHash("sha1")
    .update(URL_NAMESPACE)
    .update(`${site.replace(/\/+$/, "")}#comment-${wordpressId.trim()}`, "utf8")
    .digest();
  hash[6] = ((hash[6] ?? 0) & 0x0f) | 0x50;
  hash[8] = ((hash[8] ?? 0) & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The hash the Worker stores for an IP address: sha256Hex(`${salt}|ip|${ip}`)
 * as in src/comments/submit.ts. Node's SHA-256 of the same UTF-8 bytes, not
 * src/lib/crypto.ts, whose Workers-only Web Crypto calls do not type-check
 * for Node (the test compares the two digests).
 */
export function hashIp(salt: string, ip: string): string {
  return createHash("sha256").update(`${salt}|ip|${ip}`, "utf8").digest("hex");
}

/** One post's comments as rows, parents before their replies; pingbacks and trackbacks counted unless wanted, other types left out. */
export async function buildCommentRows(comments: WxrComment[], options: CommentOptions): Promise<CommentTally> {
  const otherTypes = new Map<string, number>();
  let pingbacksSkipped = 0;
  const wanted = comments.filter((c) => {
    const kind = commentKind(c);
    if (kind === "comment" || (kind === "ping" && options.pingbacks)) return true;
    if (kind === "ping") pingbacksSkipped++;
    else otherTypes.set(kind.other, (otherTypes.get(kind.other) ?? 0) + 1);
    return false;
  });
  const byWpId = new Map(wanted.map((c) => [c.id.trim(), c]));
  const rows: CommentRow[] = [];
  const unknownStatuses = new Map<string, string>();
  const done = new Set<string>();
  const visit = async (comment: WxrComment, seen: Set<string>) => {
    const id = comment.id.trim();
    if (done.has(id)) return;
    const parentWpId = comment.parent.trim();
    const parent = parentWpId !== "0" && !seen.has(parentWpId) ? byWpId.get(parentWpId) : undefined;
    if (parent) await visit(parent, new Set(seen).add(id));
    done.add(id);
    const row = await toRow(comment, parent ? deriveCommentId(options.site, parentWpId) : null, options);
    if (!STATUS.has(comment.approved.trim())) unknownStatuses.set(row.id, comment.approved.trim());
    rows.push(row);
  };
  for (const comment of wanted) await visit(comment, new Set([comment.id.trim()]));
  return { rows, pingbacksSkipped, otherTypes, unknownStatuses };
}

/**
 * What a comment is by its comment_type: a reader's comment ("" or
 * "comment"), a pingback or trackback, or another type, which WordPress
 * never shows under the post as a comment: block notes ("note", WordPress
 * 6.9's editorial notes) and whatever a plugin stores there.
 */
function commentKind(comment: WxrComment): "comment" | "ping" | { other: string } {
  const type = comment.type.trim().toLowerCase();
  if (type === "" || type === "comment") return "comment";
  if (type === "pingback" || type === "trackback") return "ping";
  return { other: type.slice(0, 40) };
}

async function toRow(comment: WxrComment, parentId: string | null, options: CommentOptions): Promise<CommentRow> {
  // An unknown status is shown to nobody until an editor decides.
  const status = STATUS.get(comment.approved.trim()) ?? "pending";
  const createdAt = parsePostTime(comment.dateGmt, comment.date, options.timeZone) ?? 0;
  const ip = comment.ip.trim();
  const wordpressId = comment.id.trim();
  const content = options.rewriteLinks ? options.rewriteLinks(comment.content) : comment.content;
  return {
    id: deriveCommentId(options.site, comment.id),
    parentId,
    author: comment.author.trim() || "Anonymous",
    email: comment.email.trim(),
    url: parseSafeUrl(comment.url.trim()) && /^https?:/i.test(comment.url.trim()) ? comment.url.trim() : null,
    bodyRaw: content,
    bodyHtml: renderCommentHtml(content),
    status,
    ipHash: ip && options.ipSalt ? hashIp(options.ipSalt, ip) : null,
    createdAt,
    decidedAt: status === "pending" ? null : createdAt,
    // WordPress's ids are numbers; anything else would make no anchor WordPress linked to.
    wordpressId: /^\d{1,20}$/.test(wordpressId) ? wordpressId : null,
  };
}
