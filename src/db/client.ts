import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

export type Db = ReturnType<typeof createDb>;

function createDb(d1: D1Database | D1DatabaseSession) {
  return drizzle(d1 as D1Database, { schema });
}

// Building a drizzle client walks the whole schema; the binding lives as long
// as the isolate, so one client per binding is enough.
const clients = new WeakMap<object, Db>();

/** The drizzle client over a D1 binding (or a D1 session). */
export function getDb(d1: D1Database | D1DatabaseSession): Db {
  let db = clients.get(d1);
  if (!db) {
    db = createDb(d1);
    clients.set(d1, db);
  }
  return db;
}
