// Response policies shared by every route.

// The cache policies live in src/cache/policy.ts; re-exported for older call sites.
export { CACHE_IMMUTABLE, CACHE_NONE, CACHE_NOT_FOUND, CACHE_PAGE } from "../cache/policy";

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  // Only our own files: the comment form's small script, no inline script anywhere.
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' https: data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join("; ");

export const SECURITY_HEADERS: Record<string, string> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "strict-origin-when-cross-origin",
  "X-Frame-Options": "DENY",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
};
