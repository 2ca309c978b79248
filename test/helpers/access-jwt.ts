import { env } from "cloudflare:test";

function base64url(bytes: Uint8Array | string): string {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  let binary = "";
  for (const b of data) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

async function importPrivate(jwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey("jwk", jwk, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
}

/** A signed Access JWT; by default valid for the test team and the given audience. */
export async function signAccessJwt(claims: Record<string, unknown>, opts: { key?: CryptoKey; kid?: string } = {}): Promise<string> {
  const { kid: _kid, ...jwk } = JSON.parse(env.TEST_ACCESS_PRIVATE_JWK) as JsonWebKey & { kid: string };
  const key = opts.key ?? (await importPrivate(jwk));
  const header = base64url(JSON.stringify({ alg: "RS256", kid: opts.kid ?? "test-key", typ: "JWT" }));
  const payload = base64url(
    JSON.stringify({
      iss: env.TEST_ACCESS_TEAM,
      iat: Math.floor(Date.now() / 1000),
      exp: Math.floor(Date.now() / 1000) + 600,
      email: "editor@example.com",
      ...claims,
    }),
  );
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", key, new TextEncoder().encode(`${header}.${payload}`)));
  return `${header}.${payload}.${base64url(signature)}`;
}

/** A key pair the team's key set does not know. */
export async function strangerKey(): Promise<CryptoKey> {
  const pair = (await crypto.subtle.generateKey(
    { name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
    true,
    ["sign", "verify"],
  )) as CryptoKeyPair;
  return pair.privateKey;
}
