import { SELF } from "cloudflare:test";

export const ORIGIN = "https://blog.test";

/** Fetches a path from the Worker under test. */
export function get(path: string, init: RequestInit = {}): Promise<Response> {
  return SELF.fetch(`${ORIGIN}${path}`, { redirect: "manual", ...init });
}
