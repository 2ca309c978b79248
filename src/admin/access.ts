// Optional Cloudflare Access in front of the admin: when ACCESS_TEAM_DOMAIN and
// ACCESS_AUD are set, every admin request must carry a valid Access JWT
// (Cf-Access-Jwt-Assertion), RS256-signed by one of the team's keys, for this
// application's audience, from the team's issuer, and not expired.

export interface AccessConfig {
  /** e.g. "https://myteam.cloudflareaccess.com" */
  teamDomain: string;
  audience: string;
}

interface Jwk extends JsonWebKey {
  kid?: string;
}

const KEYS_TTL_MS = 10 * 60_000;
const keyCache = new Map<string, { fetchedAt: number; keys: Map<string, CryptoKey> }>();

/** The Access settings from vars, or null when Access is not configured. */
export function getAccessConfig(env: { ACCESS_TEAM_DOMAIN?: string; ACCESS_AUD?: string }): AccessConfig | null {
  const domain = env.ACCESS_TEAM_DOMAIN?.trim();
  const audience = env.ACCESS_AUD?.trim();
  if (!domain || !audience) return null;
  const teamDomain = (/^https?:\/\//.test(domain) ? domain : `https://${domain}`).replace(/\/+$/, "");
  return { teamDomain, audience };
}

async function fetchKeys(teamDomain: string, now: number, fetcher: typeof fetch): Promise<Map<string, CryptoKey>> {
  const cached = keyCache.get(teamDomain);
  if (cached && now - cached.fetchedAt < KEYS_TTL_MS) return cached.keys;
  const res = await fetcher(`${teamDomain}/cdn-cgi/access/certs`);
  if (!res.ok) throw new Error(`Access certs: HTTP ${res.status}`);
  const body: unknown = await res.json();
  const jwks = (body as { keys?: unknown }).keys;
  if (!Array.isArray(jwks)) throw new Error("Access certs: no keys");
  const keys = new Map<string, CryptoKey>();
  for (const jwk of jwks as Jwk[]) {
    if (jwk.kty !== "RSA" || !jwk.kid) continue;
    const { kid, ...material } = jwk;
    keys.set(kid, await crypto.subtle.importKey("jwk", material, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["verify"]));
  }
  keyCache.set(teamDomain, { fetchedAt: now, keys });
  return keys;
}

function decodeSegment(segment: string): Uint8Array {
  const binary = atob(segment.replace(/-/g, "+").replace(/_/g, "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

function parseJson(segment: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(new TextDecoder().decode(decodeSegment(segment)));
    return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export type AccessVerdict = { ok: true; email: string | null } | { ok: false; reason: string };

/** Checks an Access JWT: signature, audience, issuer, expiry and not-before. */
export async function verifyAccessJwt(jwt: string | undefined, config: AccessConfig, now: number, fetcher: typeof fetch = fetch): Promise<AccessVerdict> {
  if (!jwt) return { ok: false, reason: "missing Cf-Access-Jwt-Assertion" };
  const [headerPart = "", payloadPart = "", signaturePart = "", extra] = jwt.split(".");
  if (extra !== undefined || !signaturePart) return { ok: false, reason: "malformed JWT" };
  const header = parseJson(headerPart);
  const claims = parseJson(payloadPart);
  if (!header || !claims) return { ok: false, reason: "malformed JWT" };
  if (header.alg !== "RS256" || typeof header.kid !== "string") return { ok: false, reason: "not an RS256 JWT with a key id" };
  const key = (await fetchKeys(config.teamDomain, now, fetcher)).get(header.kid);
  if (!key) return { ok: false, reason: "signed by an unknown key" };
  const signed = new TextEncoder().encode(`${headerPart}.${payloadPart}`);
  let valid = false;
  try {
    valid = await crypto.subtle.verify("RSASSA-PKCS1-v1_5", key, decodeSegment(signaturePart), signed);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, reason: "bad signature" };
  const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!audiences.includes(config.audience)) return { ok: false, reason: "wrong audience" };
  if (claims.iss !== config.teamDomain) return { ok: false, reason: "wrong issuer" };
  const seconds = now / 1000;
  if (typeof claims.exp !== "number" || claims.exp <= seconds) return { ok: false, reason: "expired" };
  if (typeof claims.nbf === "number" && claims.nbf > seconds + 60) return { ok: false, reason: "not valid yet" };
  return { ok: true, email: typeof claims.email === "string" ? claims.email : null };
}
