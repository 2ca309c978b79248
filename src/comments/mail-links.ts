// The signed links in commenters' mail: confirm a subscription, unsubscribe.
// They work without logging in, so each carries an HMAC (FORM_SECRET, with the
// purpose as prefix) over its comment and its expiry: neither can be changed,
// and a link that leaked out of an old mail stops working. Every mail brings a
// fresh link, so a subscriber always holds one that works.
import * as v from "valibot";
import { signHmac, verifyHmac } from "../lib/crypto";
import { COMMENT_ID_PATTERN } from "./message";

/** How long each kind of link works, in days. */
export const MAIL_LINK_DAYS = { confirm: 30, unsubscribe: 90 } as const;
export type MailLinkPurpose = keyof typeof MAIL_LINK_DAYS;

const DAY_SECONDS = 86_400;

const linkMessage = (purpose: MailLinkPurpose, id: string, expires: number) => `${purpose}|${id}|${expires}`;
const linkPath = (purpose: MailLinkPurpose, id: string, expires: number, sig: string) => `/comments/${purpose}?c=${id}&e=${expires}&sig=${sig}`;

/** The absolute link for one comment, valid MAIL_LINK_DAYS from `now`. */
export async function buildMailLink(siteUrl: string, secret: string, purpose: MailLinkPurpose, id: string, now: number): Promise<string> {
  const expires = Math.floor(now / 1000) + MAIL_LINK_DAYS[purpose] * DAY_SECONDS;
  const sig = await signHmac(secret, linkMessage(purpose, id, expires));
  return `${siteUrl}${linkPath(purpose, id, expires, sig)}`;
}

const LinkQuery = v.object({
  c: v.pipe(v.string(), v.regex(COMMENT_ID_PATTERN)),
  e: v.optional(v.pipe(v.string(), v.regex(/^\d{1,12}$/), v.transform(Number))),
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
});

/** valid: the link works (path is the link's own path and query); expired: ours, but too old; invalid: missing, changed or not ours. */
export type MailLinkCheck = { status: "valid"; id: string; path: string } | { status: "expired"; id: string } | { status: "invalid" };

/** Checks a link's query parameters (untrusted) against its purpose and the time. */
export async function checkMailLink(secret: string, purpose: MailLinkPurpose, query: Record<string, unknown>, now: number): Promise<MailLinkCheck> {
  const parsed = v.safeParse(LinkQuery, { c: query.c, e: query.e, sig: query.sig });
  if (!parsed.success) return { status: "invalid" };
  const { c: id, e: expires, sig } = parsed.output;
  // Unsubscribe links from before links expired carry no expiry: ours, and past it.
  if (expires === undefined)
    return purpose === "unsubscribe" && (await verifyHmac(secret, `unsubscribe|${id}`, sig)) ? { status: "expired", id } : { status: "invalid" };
  if (!(await verifyHmac(secret, linkMessage(purpose, id, expires), sig))) return { status: "invalid" };
  if (expires * 1000 <= now) return { status: "expired", id };
  return { status: "valid", id, path: linkPath(purpose, id, expires, sig) };
}
