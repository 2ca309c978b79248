// The link to a commenter's own data, mailed to the address it opens. It works
// without logging in, so it is sealed (AES-GCM with a key from FORM_SECRET):
// the address inside can be neither read (it is no one's business, in a log
// or a forwarded URL) nor changed, and it expires after DATA_LINK_HOURS. It
// also carries when it was made, so an erasure spends every link made before
// it (src/comments/personal-data.ts).
import { MY_DATA_PATH } from "../config";
import { openSealedText, sealText } from "../lib/crypto";

/** How long a mailed link works. */
export const DATA_LINK_HOURS = 24;
const HOUR_MS = 3_600_000;
const PURPOSE = "my-data";
/** Longer than any token of ours (an address of at most 100 bytes): refused before it is decrypted. */
const MAX_TOKEN_LENGTH = 400;

/** The absolute link that opens the data of `email` (lower-cased), made at `now`. */
export async function buildDataLink(siteUrl: string, secret: string, email: string, now: number): Promise<string> {
  const token = await sealText(secret, PURPOSE, `${Math.floor(now)}|${email}`);
  return `${siteUrl}${MY_DATA_PATH}/open?t=${token}`;
}

/** valid: ours and in time (issuedAt: when it was made); expired: ours, too old; invalid: changed, cut or not ours. */
export type DataLinkCheck = { status: "valid"; email: string; issuedAt: number; token: string } | { status: "expired" } | { status: "invalid" };

/** Checks a token from a link or a form (untrusted) against the time. */
export async function checkDataLink(secret: string, token: unknown, now: number): Promise<DataLinkCheck> {
  if (typeof token !== "string" || token.length > MAX_TOKEN_LENGTH) return { status: "invalid" };
  const text = await openSealedText(secret, PURPOSE, token);
  const match = text === null ? null : /^(\d{1,15})\|(.+)$/s.exec(text);
  if (!match) return { status: "invalid" };
  const issuedAt = Number(match[1]);
  if (issuedAt + DATA_LINK_HOURS * HOUR_MS <= now) return { status: "expired" };
  return { status: "valid", email: match[2] ?? "", issuedAt, token };
}
