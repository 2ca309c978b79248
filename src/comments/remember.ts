// The opt-in "save my name, e-mail and website in this browser" cookie. It
// holds what the submitter typed, for their own browser only; the comment
// form's script (src/assets/comment-form.js) reads it.
import { toBase64Url } from "../lib/crypto";

export const REMEMBER_COOKIE = "comment_author";
export const REMEMBER_MAX_AGE_SECONDS = 365 * 24 * 3600;

export interface RememberedAuthor {
  author: string;
  email: string;
  url: string;
}

export function encodeRememberCookie(author: RememberedAuthor): string {
  return toBase64Url(JSON.stringify([author.author, author.email, author.url]));
}
