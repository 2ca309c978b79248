// What a benchmark scenario is: one request, loaded against the real Worker,
// against a baseline Worker that answers it with the same bytes, and against a
// "baseline+D1" Worker that also runs the scenario's D1 work first.

export interface RequestSpec {
  method: string;
  /** Path and query, e.g. "/articles/some-slug". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

/** One SQL statement with its bound parameters, as D1's prepare(sql).bind(...params) takes it. */
export interface D1Query {
  sql: string;
  params: unknown[];
}

/** Which Worker a scenario's CPU goal compares the real Worker with. */
export type Comparison = "baseline" | "baseline+D1";

export interface Scenario extends RequestSpec {
  /** Short name for the table, e.g. "article". */
  name: string;
  /** Status the real Worker must answer with (default 200). */
  expectStatus?: number;
  /** Strings the real Worker's response body must contain. */
  expectBody?: string[];
  /**
   * The D1 work the real Worker does for this request, run by the baseline+D1
   * Worker as one env.DB.batch() before it answers. Without it the scenario
   * gets no baseline+D1 row.
   */
  d1?: D1Query[];
  /** Goal: CPU per request at most this multiple of the `goalVs` Worker's. */
  maxCpuRatio?: number;
  /** What maxCpuRatio compares with: default "baseline+D1" when `d1` is given, else "baseline". */
  goalVs?: Comparison;
  /** How the goal is named in the summary (default: the scenario's name). */
  goalLabel?: string;
}

/** `METHOD path`: how the baseline Workers tell scenarios apart. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

/** The Worker a scenario's goal compares with (see Scenario.goalVs). */
export function goalComparison(scenario: Scenario): Comparison {
  return scenario.goalVs ?? (scenario.d1 !== undefined ? "baseline+D1" : "baseline");
}
