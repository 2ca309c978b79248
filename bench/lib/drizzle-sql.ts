// The SQL and parameters of the Worker's drizzle query builders, taken in Node
// with .toSQL(): the exact statements drizzle prepares and binds on D1. The
// drizzle client is built over a stand-in binding that is never called; only
// the SQL dialect and the schema are used.
import { drizzle } from "drizzle-orm/d1";
import type { Db } from "../../src/db/client";
import * as schema from "../../src/db/schema";
import type { D1Query } from "./scenario";

/** A drizzle client for building queries only: running one throws. */
export const sqlOnlyDb: Db = drizzle({} as D1Database, { schema });

/** The statement a query builder would run. */
export function toD1Query(builder: { toSQL(): { sql: string; params: unknown[] } }): D1Query {
  const { sql, params } = builder.toSQL();
  for (const p of params) {
    if (p !== null && typeof p !== "string" && typeof p !== "number") {
      throw new Error(`parameter ${String(p)} of "${sql.slice(0, 60)}…" is a ${typeof p}; the baseline+D1 Worker passes parameters as JSON`);
    }
  }
  return { sql, params };
}
