// What a benchmark scenario is: one request, loaded against the real Worker,
// against a baseline Worker that answers it with the same bytes, and against a
// "baseline+D1" Worker that also makes the scenario's D1 calls first.
import type { CapturedResponse } from "./baseline";
import type { D1Client } from "./seed";

/** Header carrying a request's own D1 parameters to the baseline+D1 Worker (see RequestVariant.d1Params). */
export const D1_PARAMS_HEADER = "x-bench-d1-params";

/** What varies from one request of a scenario to the next. */
interface RequestVariant {
  headers?: Record<string, string>;
  body?: string;
  /**
   * The parameters of this request's D1 statements, one array per statement
   * in the order of the scenario's `d1` calls (see d1Statements). Sent in the
   * D1_PARAMS_HEADER header (JSON) to every Worker; the baseline+D1 Worker
   * binds them in place of the fixed ones, the others ignore the header.
   */
  d1Params?: unknown[][];
}

export interface RequestSpec {
  method: string;
  /** Path and query, e.g. "/articles/some-slug". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Makes the i-th request the bench sends for this spec (i from 0, counted
   * over the whole run: captures, checks, warm-ups and loads, on every
   * Worker), so every request can be distinct. Its headers are added to
   * `headers`; its body replaces `body`. Method and path stay fixed.
   */
  makeRequest?: (i: number) => RequestVariant;
}

/** One request as it goes on the wire. */
export interface ConcreteRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** The D1 parameters the request carries (null: the spec's fixed ones apply). */
  d1Params: unknown[][] | null;
}

const sent = new WeakMap<RequestSpec, number>();

/** The next request of a spec: the fixed one, or makeRequest's next. */
export function takeRequest(spec: RequestSpec): ConcreteRequest {
  const fixed = { method: spec.method, path: spec.path, headers: { ...spec.headers }, body: spec.body, d1Params: null };
  if (!spec.makeRequest) return fixed;
  const i = sent.get(spec) ?? 0;
  sent.set(spec, i + 1);
  const variant = spec.makeRequest(i);
  const headers = { ...fixed.headers, ...variant.headers };
  if (variant.d1Params) headers[D1_PARAMS_HEADER] = JSON.stringify(variant.d1Params);
  return { ...fixed, headers, body: variant.body ?? spec.body, d1Params: variant.d1Params ?? null };
}

/** One SQL statement with its bound parameters, as D1's prepare(sql).bind(...params) takes it. */
export interface D1Query {
  sql: string;
  params: unknown[];
}

/**
 * One call on the D1 binding: statements sent together with env.DB.batch(),
 * or one statement on its own with this method (.all(), .raw(), .run(), .first()).
 */
export type D1Call = { kind: "batch"; statements: D1Query[] } | { kind: "all" | "raw" | "run" | "first"; statement: D1Query };

/** The statements of the calls, in order. */
export function d1Statements(calls: D1Call[]): D1Query[] {
  return calls.flatMap((call) => (call.kind === "batch" ? call.statements : [call.statement]));
}

/** The same calls with other parameters, one array per statement (as d1Statements orders them). */
export function withD1Params(calls: D1Call[], params: unknown[][]): D1Call[] {
  const count = d1Statements(calls).length;
  if (params.length !== count) throw new Error(`${params.length} parameter lists for ${count} D1 statements`);
  let k = 0;
  const take = (q: D1Query): D1Query => ({ sql: q.sql, params: params[k++] as unknown[] });
  return calls.map((call) =>
    call.kind === "batch" ? { kind: "batch", statements: call.statements.map(take) } : { kind: call.kind, statement: take(call.statement) },
  );
}

/** Which Worker a scenario's CPU ratio goal compares the real Worker with. */
export type Comparison = "baseline" | "baseline+D1";

export interface Scenario extends RequestSpec {
  /** Short name for the table, e.g. "article". */
  name: string;
  /** Status the real Worker must answer with (default 200); every load must get only this status. */
  expectStatus?: number;
  /** Strings the real Worker's response body must contain. */
  expectBody?: string[];
  /**
   * The D1 calls the real Worker makes for this request, made by the
   * baseline+D1 Worker, in order, before it answers. Without them the
   * scenario gets no baseline+D1 row. Parameters are these fixed ones unless
   * the request carries its own (RequestVariant.d1Params).
   */
  d1?: D1Call[];
  /** The D1 Sessions API constraint the real Worker opens its session with (env.DB.withSession); none: env.DB. */
  d1Session?: string;
  /** Goal: CPU per request at most this multiple of the `goalVs` Worker's. */
  maxCpuRatio?: number;
  /** What maxCpuRatio compares with: default "baseline+D1" when `d1` is given, else "baseline". */
  goalVs?: Comparison;
  /**
   * Goal: the Worker's own CPU per request under this many ms: the real
   * Worker's CPU minus the baseline+D1 Worker's (minus the baseline's without
   * D1 work), i.e. without the runtime floor and without local D1.
   */
  maxOwnCpuMs?: number;
  /** How the goal is named in the summary (default: the scenario's name). */
  goalLabel?: string;
  /** Checks the real Worker's captured answer further, its database at hand; returns a line for the log, throws when wrong. */
  checkCapture?: (captured: CapturedResponse, realDb: D1Client) => Promise<string>;
}

/** `METHOD path`: how the baseline Workers tell scenarios apart. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** The Worker a scenario's ratio goal compares with (see Scenario.goalVs). */
export function goalComparison(scenario: Scenario): Comparison {
  return scenario.goalVs ?? (scenario.d1 !== undefined ? "baseline+D1" : "baseline");
}
