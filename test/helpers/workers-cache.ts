// A stand-in for Workers Cache in front of the Worker, for tests: Miniflare
// has none (ctx.cache is undefined locally). It follows the rules the Worker
// relies on: a GET is answered from the store while the entry is fresh by
// its Cloudflare-CDN-Cache-Control max-age, without running the Worker;
// otherwise the Worker runs, and a response with that header and no
// Set-Cookie is stored under the request URL with its Cache-Tag tags;
// ctx.cache.purge({ tags }) drops every entry carrying one of the tags.
import { createExecutionContext, env } from "cloudflare:test";
import worker from "../../src/index";
import { ORIGIN } from "./http";

interface Entry {
  status: number;
  headers: [string, string][];
  body: ArrayBuffer;
  tags: string[];
  expires: number;
}

export interface EdgeResult {
  res: Response;
  /** Whether the stand-in answered from its store (the Worker did not run). */
  hit: boolean;
}

export function workersCacheStandIn() {
  const store = new Map<string, Entry>();
  const purged: string[][] = [];
  const cache: CacheContext = {
    purge: async ({ tags = [] }) => {
      purged.push(tags);
      for (const [key, entry] of store) if (entry.tags.some((t) => tags.includes(t))) store.delete(key);
      return { success: true, errors: [] };
    },
    invalidate: async () => ({ success: true, errors: [] }),
  };

  async function fetchThrough(path: string, init: RequestInit = {}, vars: Partial<Env> = {}): Promise<EdgeResult> {
    const url = `${ORIGIN}${path}`;
    const method = (init.method ?? "GET").toUpperCase();
    const entry = method === "GET" ? store.get(url) : undefined;
    if (entry && entry.expires > Date.now()) return { res: new Response(entry.body, { status: entry.status, headers: entry.headers }), hit: true };
    // Deferred work runs on its own, as on the platform (the repeat purge comes five seconds later).
    const base = createExecutionContext();
    const ctx = { waitUntil: (p: Promise<unknown>) => base.waitUntil(p), passThroughOnException: () => {}, props: {}, cache } as unknown as ExecutionContext;
    const res = await worker.fetch(new Request(url, init), { ...env, ...vars }, ctx);
    const edge = /max-age=(\d+)/.exec(res.headers.get("cloudflare-cdn-cache-control") ?? "");
    if (method === "GET" && edge && !res.headers.has("set-cookie")) {
      const body = await res.clone().arrayBuffer();
      const tags = (res.headers.get("cache-tag") ?? "").split(",").filter(Boolean);
      store.set(url, { status: res.status, headers: [...res.headers], body, tags, expires: Date.now() + Number(edge[1]) * 1000 });
    }
    return { res, hit: false };
  }

  return { fetchThrough, cache, purged, store };
}
