import { drizzle } from "drizzle-orm/d1";
import { withReadRetries } from "./retry";

// No relational schema is passed: the project only uses the query builder, and
// without it creating a client is cheap enough to do per D1 session. Every
// client reads through withReadRetries, so a read that meets one of D1's
// transient errors is tried again wherever it runs (pages, consumer, crons).
function createDb(d1: D1Database | D1DatabaseSession) {
  return drizzle(withReadRetries(d1));
}

export type Db = ReturnType<typeof createDb>;

const clients = new WeakMap<object, Db>();

/** The drizzle client over a D1 binding or a D1 session (one client per object). */
export function getDb(d1: D1Database | D1DatabaseSession): Db {
  let db = clients.get(d1);
  if (!db) {
    db = createDb(d1);
    clients.set(d1, db);
  }
  return db;
}
