// The SQL and parameters the Worker's query code sends to D1, taken in Node:
// from a drizzle query builder with .toSQL(), or, for query functions that do
// not hand out their builder (listPublishedArticles, getSubmissionFacts …), by
// running the function itself against a stand-in D1 binding that records each
// call (drizzle prepares query.sql and binds query.params: what .toSQL()
// returns) and answers it with no rows. Either way these are the exact
// statements the Worker prepares and binds on D1.
import { drizzle } from "drizzle-orm/d1";
import { type Db, getDb } from "../../src/db/client";
import { type D1Call, type D1Query, d1Statements } from "./scenario";

/** A drizzle client for building queries only, configured as src/db/client.ts's (no relational schema): running one throws. */
export const sqlOnlyDb: Db = drizzle({} as D1Database);

function checkParams(sql: string, params: unknown[]): void {
  for (const p of params) {
    if (p !== null && typeof p !== "string" && typeof p !== "number") {
      throw new Error(`parameter ${String(p)} of "${sql.slice(0, 60)}…" is a ${typeof p}; the baseline+D1 Worker passes parameters as JSON`);
    }
  }
}

/** The statement a query builder would run. */
export function toD1Query(builder: { toSQL(): { sql: string; params: unknown[] } }): D1Query {
  const { sql, params } = builder.toSQL();
  checkParams(sql, params);
  return { sql, params };
}

const EMPTY_RESULT = { results: [], success: true, meta: {} };

class RecordedStatement {
  constructor(
    readonly sql: string,
    readonly params: unknown[],
    private readonly calls: D1Call[],
  ) {}
  bind(...params: unknown[]): RecordedStatement {
    return new RecordedStatement(this.sql, params, this.calls);
  }
  private record(kind: "all" | "raw" | "run" | "first"): void {
    checkParams(this.sql, this.params);
    this.calls.push({ kind, statement: { sql: this.sql, params: this.params } });
  }
  all() {
    this.record("all");
    return Promise.resolve(EMPTY_RESULT);
  }
  raw() {
    this.record("raw");
    return Promise.resolve([]);
  }
  run() {
    this.record("run");
    return Promise.resolve(EMPTY_RESULT);
  }
  first() {
    this.record("first");
    return Promise.resolve(null);
  }
}

/**
 * Runs `work` with a drizzle client (src/db/client.ts getDb) over a recording
 * stand-in D1 binding and returns the D1 calls it made, in order. Every
 * statement answers with no rows, so `work` must not branch on the results
 * to reach the calls of interest.
 */
export async function recordD1Calls(work: (db: Db) => Promise<unknown>): Promise<D1Call[]> {
  const calls: D1Call[] = [];
  const binding = {
    prepare: (sql: string) => new RecordedStatement(sql, [], calls),
    batch: (statements: RecordedStatement[]) => {
      for (const s of statements) checkParams(s.sql, s.params);
      calls.push({ kind: "batch", statements: statements.map((s) => ({ sql: s.sql, params: s.params })) });
      return Promise.resolve(statements.map(() => EMPTY_RESULT));
    },
    withSession: () => binding,
    exec: () => Promise.reject(new Error("exec is not recorded")),
    dump: () => Promise.reject(new Error("dump is not recorded")),
  };
  await work(getDb(binding as unknown as D1Database));
  return calls;
}

/**
 * Per-request parameters for recorded calls: `calls` were recorded with the
 * `sentinels` (unique stand-in values, one per named input) where the real
 * values go; the function returned fills in each request's values, one
 * parameter array per statement (as d1Statements orders them). Throws when a
 * sentinel never reached a parameter unchanged (then the code transformed it,
 * and this cannot stand in for it).
 */
export function d1ParamsFiller(calls: D1Call[], sentinels: Record<string, string | number>): (values: Record<string, string | number | null>) => unknown[][] {
  const byValue = new Map<unknown, string>(Object.entries(sentinels).map(([name, value]) => [value, name]));
  if (byValue.size !== Object.keys(sentinels).length) throw new Error("two sentinels share a value");
  const used = new Set<string>();
  const template = d1Statements(calls).map((q) =>
    q.params.map((p): { ref: string } | { value: unknown } => {
      const name = byValue.get(p);
      if (name === undefined) return { value: p };
      used.add(name);
      return { ref: name };
    }),
  );
  const unused = Object.keys(sentinels).filter((name) => !used.has(name));
  if (unused.length > 0) throw new Error(`sentinel(s) ${unused.join(", ")} not found among the recorded D1 parameters`);
  return (values) =>
    template.map((params) =>
      params.map((p) => {
        if ("value" in p) return p.value;
        const value = values[p.ref];
        if (value === undefined) throw new Error(`no value for D1 parameter ${p.ref}`);
        return value;
      }),
    );
}
