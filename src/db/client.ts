import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

/** The drizzle client over a D1 binding (or a D1 session). */
export function getDb(d1: D1Database | D1DatabaseSession) {
  return drizzle(d1 as D1Database, { schema });
}

export type Db = ReturnType<typeof getDb>;
