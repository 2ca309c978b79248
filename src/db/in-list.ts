// "column IN (list)" for a list of any length with one bound parameter. D1
// takes at most 100 bound parameters a statement, and drizzle's inArray binds
// one per value: a long list would make the statement fail. Here the list
// goes in as one JSON text that SQLite's json_each unpacks.
import { type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";

/** The condition that `column` is one of `values`, binding a single parameter. */
export function inJsonList(column: SQLiteColumn, values: readonly (string | number)[]): SQL {
  return sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`;
}
