// The opt-in "save my name, e-mail and website in this browser" cookie. It
// holds what the submitter typed, for their own browser only.
import { validateCommentInput } from "./message";

export const REMEMBER_COOKIE = "comment_author";
export const REMEMBER_MAX_AGE_SECONDS = 365 * 24 * 3600;

export interface RememberedAuthor {
  author: string;
  email: string;
  url: string;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(value: string): string {
  const binary = atob(value.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(Uint8Array.from(binary, (ch) => ch.charCodeAt(0)));
}

export function encodeRememberCookie(author: RememberedAuthor): string {
  return toBase64Url(JSON.stringify([author.author, author.email, author.url]));
}

/** The remembered author, or null for a missing or tampered cookie. */
export function parseRememberCookie(value: string | undefined): RememberedAuthor | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(fromBase64Url(value));
    if (!Array.isArray(parsed) || parsed.length !== 3) return null;
    const [author, email, url] = parsed;
    const check = validateCommentInput({ author, email, url, comment: "x" });
    return check.ok ? { author: check.input.author, email: check.input.email, url: check.input.url ?? "" } : null;
  } catch {
    return null;
  }
}
