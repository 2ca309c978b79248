// Stand-ins for the outside world the Worker talks to in tests, served from
// Node by Miniflare's outboundService: Cloudflare Access's key set, and a
// webhook receiver that remembers what it was sent.
import { generateKeyPairSync } from "node:crypto";

export const ACCESS_TEAM = "https://test-team.cloudflareaccess.com";
export const WEBHOOK_ORIGIN = "https://hooks.test";

const { publicKey, privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
export const ACCESS_PRIVATE_JWK = JSON.stringify({ ...privateKey.export({ format: "jwk" }), kid: "test-key" });
const publicJwk = { ...publicKey.export({ format: "jwk" }), kid: "test-key", alg: "RS256", use: "sig" };

const received: { url: string; body: string }[] = [];

/** Answers the Worker's outbound requests; anything unknown is a 599 so tests see it. */
export async function outboundService(request: Request): Promise<Response> {
  const url = new URL(request.url);
  if (url.origin === ACCESS_TEAM && url.pathname === "/cdn-cgi/access/certs") {
    return Response.json({ keys: [publicJwk] });
  }
  if (url.origin === WEBHOOK_ORIGIN) {
    if (request.method === "GET" && url.pathname === "/_received") return Response.json(received);
    if (url.pathname === "/fail") return new Response("down", { status: 500 });
    received.push({ url: request.url, body: await request.text() });
    return new Response("ok");
  }
  return new Response(`unexpected outbound request: ${request.method} ${request.url}`, { status: 599 });
}
