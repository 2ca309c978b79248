// One bounded autocannon load against one URL, and the measurement around it:
// warm-up, then the load with the workerd process's CPU time read before and after.
import http from "node:http";
import autocannon from "autocannon";
import { cpuMsBetween, sampleCpu } from "./proc";
import { type RequestSpec, takeRequest } from "./scenario";

export interface LoadSettings {
  /** Length of the measured load, in seconds. */
  seconds: number;
  /** Length of the unmeasured warm-up load before it, in seconds (0: none). */
  warmupSeconds: number;
  /** Concurrent keep-alive connections. */
  connections: number;
}

interface LoadResult {
  /** Completed responses (any status). */
  requests: number;
  /** Wall time of the load, in seconds. */
  seconds: number;
  requestsPerSecond: number;
  /** Latency percentiles over all completed responses, in ms. */
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  non2xx: number;
  /** Connection errors and timeouts. */
  errors: number;
  timeouts: number;
  statusCounts: Record<string, number>;
}

export interface Measurement extends LoadResult {
  /** CPU time (user + system, all threads) of the serving workerd process during the load, in ms. */
  cpuMs: number;
  cpuMsPerRequest: number;
  /** CPU time of this Node process (the load generator) during the load, in ms. */
  clientCpuMs: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] ?? Number.NaN;
}

let running: autocannon.Instance | undefined;

/** Stops a load in progress (for Ctrl-C); its promise still settles. */
export function stopRunningLoad(): void {
  running?.stop();
}

/**
 * Sends `request` to the Worker at `baseUrl` for `seconds` over `connections`
 * connections (127.0.0.1 only). A spec with makeRequest gets a fresh request
 * for every one sent (autocannon builds each through setupRequest).
 */
function runLoad(baseUrl: string | URL, request: RequestSpec, seconds: number, connections: number): Promise<LoadResult> {
  const target = new URL(request.path, baseUrl);
  if (target.hostname !== "127.0.0.1" && target.hostname !== "localhost") {
    return Promise.reject(new Error(`refusing to load a non-local URL: ${target.href}`));
  }
  // Autocannon records latency in a histogram of whole milliseconds; collect
  // the fractional times itself for sub-millisecond percentiles.
  const latencies: number[] = [];
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const instance = autocannon(
      {
        url: target.href,
        method: request.method,
        headers: request.headers ?? {},
        ...(request.body === undefined ? {} : { body: request.body }),
        ...(request.makeRequest === undefined
          ? {}
          : {
              requests: [
                {
                  setupRequest: (req: autocannon.RequestParams) => {
                    const next = takeRequest(request);
                    return { ...req, headers: { ...req.headers, ...next.headers }, body: next.body ?? "" };
                  },
                },
              ],
            }),
        connections,
        duration: seconds,
        timeout: 10,
        pipelining: 1,
      },
      (err, result) => {
        running = undefined;
        if (err) return reject(err);
        const wallSeconds = (performance.now() - started) / 1000;
        const sorted = Float64Array.from(latencies).sort();
        const statusCounts: Record<string, number> = {};
        for (const [status, { count }] of Object.entries(result.statusCodeStats)) statusCounts[status] = Number(count);
        const requests = latencies.length;
        resolve({
          requests,
          seconds: wallSeconds,
          requestsPerSecond: requests / wallSeconds,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          meanMs: requests === 0 ? Number.NaN : latencies.reduce((a, b) => a + b, 0) / requests,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCounts,
        });
      },
    );
    instance.on("response", (_client, _status, _bytes, responseTime) => {
      latencies.push(responseTime);
    });
    running = instance;
  });
}

/** Latency of one request (the spec's next) over a fresh connection (node:http, no client warm-up cost), in ms, and the body received. */
export function timeOneRequest(baseUrl: string | URL, spec: RequestSpec): Promise<{ status: number; ms: number; body: Buffer }> {
  const request = takeRequest(spec);
  return new Promise((resolve, reject) => {
    const began = performance.now();
    const req = http.request(
      // As a string: with the Workers types in the program, the global URL is not node:url's.
      new URL(request.path, baseUrl).href,
      { method: request.method, headers: request.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - began, body: Buffer.concat(chunks) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(request.body);
  });
}

/**
 * Warms the Worker at `baseUrl` up, then loads it while reading the CPU time of
 * the workerd process `pid` before and after. Nothing else may load that process meanwhile.
 */
export async function measure(url: string | URL, pid: number, request: RequestSpec, settings: LoadSettings): Promise<Measurement> {
  if (settings.warmupSeconds > 0) await runLoad(url, request, settings.warmupSeconds, settings.connections);
  const clientBefore = process.cpuUsage();
  const before = sampleCpu(pid);
  const load = await runLoad(url, request, settings.seconds, settings.connections);
  const after = sampleCpu(pid);
  const client = process.cpuUsage(clientBefore);
  const cpuMs = cpuMsBetween(before, after);
  return {
    ...load,
    cpuMs,
    cpuMsPerRequest: load.requests === 0 ? Number.NaN : cpuMs / load.requests,
    clientCpuMs: (client.user + client.system) / 1000,
  };
}
