// Optional Cloudflare Access in front of the admin: when ACCESS_TEAM_DOMAIN and
// ACCESS_AUD are set, every admin request must carry a valid Access JWT
// (Cf-Access-Jwt-Assertion), RS256-signed by one of the team's keys, for this
// application's audience, from the team's issuer, and not expired. The check
// itself is hono/jwt's verifyWithJwks; the team's keys are fetched here and
// kept for ten minutes, so that not every request waits for the key server.
import { verifyWithJwks } from "hono/jwt";
import type { HonoJsonWebKey } from "hono/utils/jwt/jws";
import { UnavailableError } from "../lib/errors";

export interface AccessConfig {
  /** e.g. "https://myteam.cloudflareaccess.com" */
  teamDomain: string;
  audience: string;
}

const KEYS_TTL_MS = 10 * 60_000;
const keyCache = new Map<string, { fetchedAt: number; keys: HonoJsonWebKey[] }>();

/** The Access settings from vars, or null when Access is not configured. */
export function getAccessConfig(env: { ACCESS_TEAM_DOMAIN?: string; ACCESS_AUD?: string }): AccessConfig | null {
  const domain = env.ACCESS_TEAM_DOMAIN?.trim();
  const audience = env.ACCESS_AUD?.trim();
  if (!domain || !audience) return null;
  const teamDomain = (/^https?:\/\//.test(domain) ? domain : `https://${domain}`).replace(/\/+$/, "");
  return { teamDomain, audience };
}

/** The team's signing keys; UnavailableError when the key server cannot serve them. */
async function getTeamKeys(teamDomain: string, now: number, fetcher: typeof fetch): Promise<HonoJsonWebKey[]> {
  const cached = keyCache.get(teamDomain);
  if (cached && now - cached.fetchedAt < KEYS_TTL_MS) return cached.keys;
  let keys: unknown;
  try {
    const res = await fetcher(`${teamDomain}/cdn-cgi/access/certs`);
    keys = res.ok ? ((await res.json()) as { keys?: unknown }).keys : null;
  } catch {
    keys = null;
  }
  if (!Array.isArray(keys)) throw new UnavailableError("Cloudflare Access keys could not be fetched; try again shortly", 30);
  keyCache.set(teamDomain, { fetchedAt: now, keys });
  return keys as HonoJsonWebKey[];
}

export type AccessVerdict = { ok: true; email: string | null } | { ok: false; reason: string };

/** Checks an Access JWT: signature, audience, issuer, expiry and not-before. */
export async function verifyAccessJwt(jwt: string | undefined, config: AccessConfig, now: number, fetcher: typeof fetch = fetch): Promise<AccessVerdict> {
  if (!jwt) return { ok: false, reason: "missing Cf-Access-Jwt-Assertion" };
  const keys = await getTeamKeys(config.teamDomain, now, fetcher);
  try {
    const claims = await verifyWithJwks(jwt, { keys, allowedAlgorithms: ["RS256"], verification: { aud: config.audience, iss: config.teamDomain } });
    // verify() checks exp only when present; Access always sets it, so a token without one is not Access's.
    if (typeof claims.exp !== "number") return { ok: false, reason: "no expiry" };
    return { ok: true, email: typeof claims.email === "string" ? claims.email : null };
  } catch (err) {
    return { ok: false, reason: err instanceof Error ? err.name.replace(/^Jwt/, "") || "invalid JWT" : "invalid JWT" };
  }
}
