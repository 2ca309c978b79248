// Hashes and signatures over Web Crypto, shared by the comment pipeline and the admin.
const encoder = new TextEncoder();

/** SHA-256 of a string, as lower-case hex. */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  let hex = "";
  for (const b of bytes) hex += b.toString(16).padStart(2, "0");
  return hex;
}

/** Bytes (or a string's UTF-8) as base64url without padding. */
export function toBase64Url(data: Uint8Array | string): string {
  const bytes = typeof data === "string" ? encoder.encode(data) : data;
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    keys.set(secret, key);
  }
  return key;
}

/** HMAC-SHA-256 of `message`, base64url without padding. */
export async function signHmac(secret: string, message: string): Promise<string> {
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(secret), encoder.encode(message));
  return toBase64Url(new Uint8Array(signature));
}

/** Compares two strings in time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a);
  const right = encoder.encode(b);
  if (left.byteLength !== right.byteLength) {
    // Still compare, so the time does not reveal the length of a prefix match.
    crypto.subtle.timingSafeEqual(left, left);
    return false;
  }
  return crypto.subtle.timingSafeEqual(left, right);
}

/** Checks `value` against the HMAC of `message` in constant time. */
export async function verifyHmac(secret: string, message: string, value: string): Promise<boolean> {
  return constantTimeEqual(await signHmac(secret, message), value);
}

/** base64url (with or without padding) as bytes, or null when it is not base64url. */
function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*={0,2}$/.test(text)) return null;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/").replace(/=+$/, ""));
    return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
  } catch {
    return null;
  }
}

const aesKeys = new Map<string, Promise<CryptoKey>>();

/** An AES-GCM key for one purpose, derived from a secret (SHA-256 of purpose and secret). */
function aesKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}|${secret}`;
  let key = aesKeys.get(id);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", encoder.encode(id))
      .then((raw) => crypto.subtle.importKey("raw", raw, { name: "AES-GCM" }, false, ["encrypt", "decrypt"]));
    aesKeys.set(id, key);
  }
  return key;
}

/** Encrypts and authenticates `text` (AES-GCM, a fresh IV each time), as base64url: unreadable and unchangeable without the secret. */
export async function sealText(secret: string, purpose: string, text: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = new Uint8Array(await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secret, purpose), encoder.encode(text)));
  const out = new Uint8Array(iv.byteLength + sealed.byteLength);
  out.set(iv);
  out.set(sealed, iv.byteLength);
  return toBase64Url(out);
}

/** The text sealText sealed with this secret and purpose, or null for anything else (changed, cut, another key). */
export async function openSealedText(secret: string, purpose: string, sealed: string): Promise<string | null> {
  const bytes = fromBase64Url(sealed);
  if (!bytes || bytes.byteLength < 12 + 16) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv: bytes.slice(0, 12) }, await aesKey(secret, purpose), bytes.slice(12));
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(plain);
  } catch {
    return null;
  }
}
