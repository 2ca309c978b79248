// The signed link of a shared draft: /preview/<id>?sig=<HMAC of id and expiry>.
// Runs in Node (the preview CLI signs) and in the Worker (it verifies).
import { signHmac } from "../lib/crypto";

/** 16 random bytes, base64url: 22 characters. */
export const PREVIEW_ID_PATTERN = /^[A-Za-z0-9_-]{22}$/;
/** What `--expires` takes when not given, and at most. */
export const DEFAULT_PREVIEW_DAYS = 7;
export const MAX_PREVIEW_DAYS = 90;

/** The signature over the id and the expiry, so neither can be changed or guessed. */
export function signPreview(secret: string, id: string, expiresAt: number): Promise<string> {
  return signHmac(secret, `preview\n${id}\n${expiresAt}`);
}

/** The absolute link a colleague opens. */
export async function buildPreviewLink(siteUrl: string, secret: string, id: string, expiresAt: number): Promise<string> {
  return `${siteUrl}/preview/${id}?sig=${await signPreview(secret, id, expiresAt)}`;
}
