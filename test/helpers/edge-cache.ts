import { createExecutionContext } from "cloudflare:test";

/**
 * An execution context whose `cache` records purges. Miniflare runs no Workers
 * Cache (ctx.cache is undefined locally), so this stands in for the platform's
 * cache the way outboundService stands in for the outside world; D1 and
 * Queues stay real.
 */
export function recordingContext(): { ctx: ExecutionContext; purges: string[][]; calls: CachePurgeOptions[]; settle: () => Promise<void> } {
  const base = createExecutionContext();
  const pending: Promise<unknown>[] = [];
  const purges: string[][] = [];
  const calls: CachePurgeOptions[] = [];
  const cache: CacheContext = {
    purge: async (options) => {
      calls.push(options);
      purges.push([...(options.tags ?? [])]);
      return { success: true, errors: [] };
    },
    invalidate: async () => ({ success: true, errors: [] }),
  };
  const ctx = {
    waitUntil: (p: Promise<unknown>) => {
      pending.push(p);
      base.waitUntil(p);
    },
    passThroughOnException: () => base.passThroughOnException(),
    props: {},
    cache,
  } as unknown as ExecutionContext;
  return { ctx, purges, calls, settle: async () => void (await Promise.allSettled(pending)) };
}
