/**
 * Whether cookies for this request should be Secure: everywhere but a local
 * development host, where the blog runs over plain http and browsers would
 * drop a Secure cookie.
 */
export function wantsSecureCookies(url: string): boolean {
  const host = new URL(url).hostname;
  return host !== "localhost" && host !== "127.0.0.1" && host !== "[::1]";
}
