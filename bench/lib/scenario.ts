// What a benchmark scenario is: one request, loaded against the real Worker and
// against a baseline Worker that answers it with the same bytes.

export interface RequestSpec {
  method: string;
  /** Path and query, e.g. "/articles/some-slug". */
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface Scenario extends RequestSpec {
  /** Short name for the table, e.g. "article". */
  name: string;
  /** Status the real Worker must answer with (default 200). */
  expectStatus?: number;
  /** Strings the real Worker's response body must contain. */
  expectBody?: string[];
  /** Goal: CPU per request at most this multiple of the baseline's. */
  maxCpuRatio?: number;
}

/** `METHOD path`: how the baseline Worker tells scenarios apart. */
export function routeKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}
