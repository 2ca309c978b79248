// The security headers every response carries (Hono's secureHeaders), with HSTS over https.
import { secureHeaders } from "hono/secure-headers";
import { EMBED_FRAME_HOSTS } from "../articles/embeds";

type SecureHeadersOptions = NonNullable<Parameters<typeof secureHeaders>[0]>;

/** Two years, subdomains too: what the HSTS preload list asks for. */
export const HSTS = "max-age=63072000; includeSubDomains";

const SECURITY_OPTIONS: SecureHeadersOptions = {
  contentSecurityPolicy: {
    defaultSrc: ["'none'"],
    // Only our own files: the comment form's small script, no inline script anywhere.
    scriptSrc: ["'self'"],
    styleSrc: ["'self'"],
    // No image from another host: it would hand the reader's address to that host before they chose to
    // (the Markdown renderer turns such images into links the reader may follow).
    imgSrc: ["'self'", "data:"],
    // Audio and video are the site's own files; players of other sites are
    // framed only from their players' hosts, and only once a reader clicks
    // (src/articles/embeds.ts, src/assets/embeds.js).
    mediaSrc: ["'self'"],
    frameSrc: EMBED_FRAME_HOSTS,
    formAction: ["'self'"],
    baseUri: ["'none'"],
    frameAncestors: ["'none'"],
  },
  referrerPolicy: "strict-origin-when-cross-origin",
  xFrameOptions: "DENY",
  // Feeds and images are fetched by other sites' readers; only framing and opener are locked.
  crossOriginResourcePolicy: false,
  permissionsPolicy: { camera: [], microphone: [], geolocation: [] },
};

/** Security headers for plain-http development hosts: no HSTS, which would pin localhost to https. */
export const securityHeaders = secureHeaders({ ...SECURITY_OPTIONS, strictTransportSecurity: false });
/** The same, plus HSTS, for every response served over https. */
export const securityHeadersHttps = secureHeaders({ ...SECURITY_OPTIONS, strictTransportSecurity: HSTS });

/**
 * With DEV_RELOAD_URL (npm run dev only), the page's reload script may connect
 * to the dev command's event server; without it the CSP stays as it is.
 */
export function allowDevReload(headers: Headers, devReloadUrl: string | null): void {
  const csp = headers.get("Content-Security-Policy");
  if (!devReloadUrl || !csp) return;
  headers.set("Content-Security-Policy", `${csp}; connect-src ${new URL(devReloadUrl).origin}`);
}
