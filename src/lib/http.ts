// Response policies shared by every route.

/**
 * Reader pages: browsers ask again every time (a 304 when nothing changed), so
 * a published article or an approved comment shows at the next request.
 */
export const CACHE_PAGE = "public, max-age=0, must-revalidate";
/** Error pages for things that may appear later (an article not yet published). */
export const CACHE_NOT_FOUND = "public, max-age=60";
/** Files whose URL changes with their content. */
export const CACHE_IMMUTABLE = "public, max-age=31536000, immutable";
export const CACHE_NONE = "no-store";

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
