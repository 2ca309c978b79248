// The deployed blog's address, checked before anything goes to Cloudflare:
// SITE_URL ends up in every canonical link, feed, sitemap and mail, and the
// publish purges the edge cache through it, so a remote deploy or publish with
// the local default (http://localhost:8787) would ship links to the editor's
// own machine and purge nothing.

/** Host names that only ever mean the machine the request starts on. */
function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  // URL gives IPv6 hosts in brackets and normalized: [::1], [0:0:0:0:0:0:0:1] is [::1] too.
  if (host === "[::1]" || host === "[::]" || host === "0.0.0.0") return true;
  return /^127(?:\.\d{1,3}){3}$/.test(host);
}

/**
 * Why SITE_URL cannot serve a deployed blog (it names the var and where to
 * set it), or null when it can: an https address on a host that is not this
 * machine. `configFile` is the wrangler configuration it was read from.
 */
export function checkRemoteSiteUrl(siteUrl: string, configFile: string): string | null {
  const where = `Set SITE_URL under [vars] in ${configFile} to the blog's public address, e.g. SITE_URL = "https://blog.example.com", and run again. Nothing was sent to Cloudflare.`;
  let url: URL;
  try {
    url = new URL(siteUrl);
  } catch {
    return `SITE_URL "${siteUrl}" is not an absolute URL. ${where}`;
  }
  if (isLoopbackHost(url.hostname)) return `SITE_URL is "${siteUrl}", this machine's own address: the deployed blog would link readers there. ${where}`;
  if (url.protocol !== "https:")
    return `SITE_URL is "${siteUrl}": the deployed blog needs an https:// address (Cloudflare serves it with a certificate). ${where}`;
  return null;
}
