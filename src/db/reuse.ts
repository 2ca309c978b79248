// Reader queries that run on every page view keep their SQL text per isolate.
// drizzle builds a query's text anew on every call: 25-80 µs a query, and the
// article page's four cost more than rendering the page (npm run bench). A
// reusable query is built once with placeholders for its values; each call
// binds the values and runs through drizzle's own prepared query, so its rows
// are mapped exactly as the builder's would be, alone or in db.batch().
import { fillPlaceholders, type Placeholder, type Query, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/d1";
import type { RunnableQuery } from "drizzle-orm/runnable-query";
import type { SelectedFieldsOrdered, SQLiteSession } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";

/** A value bound when the query runs: the value itself, or its placeholder in a reusable query. */
export type Bound<T> = T | Placeholder<string, T>;

/** Placeholders named after the values a reusable query binds. */
export type Holders<V> = { [K in keyof V]: Placeholder<K & string, V[K]> };

/** Builds SQL text only: its client is never asked to run anything. */
const templateDb = drizzle({ prepare: () => ({}) } as unknown as D1Database);

interface Template {
  query: Query;
  fields: SelectedFieldsOrdered | undefined;
  joinsNotNullableMap: unknown;
}

/** What drizzle's prepared query carries beyond its public type (read once per template). */
interface PreparedInternals {
  getQuery(): Query;
  fields?: SelectedFieldsOrdered;
  joinsNotNullableMap?: unknown;
}

/** A select from a template with its values: awaited, or an item of db.batch(). */
export class ReusedQuery<T> implements RunnableQuery<T[], "sqlite">, PromiseLike<T[]> {
  declare readonly _: { readonly dialect: "sqlite"; readonly result: T[] };

  constructor(
    private readonly db: Db,
    private readonly template: Template,
    private readonly values: Record<string, unknown>,
  ) {}

  /** The statement and its parameters, as a builder's toSQL() gives them. */
  toSQL(): Query {
    return { sql: this.template.query.sql, params: fillPlaceholders(this.template.query.params, this.values) };
  }

  /** What db.batch() calls on each item (drizzle's contract for a runnable query). */
  _prepare() {
    // The session is drizzle's and typed internal; a builder reaches it the same way.
    const session = (this.db as unknown as { session: SQLiteSession<"async", unknown, Record<string, never>, never> }).session;
    const prepared = session.prepareOneTimeQuery(this.toSQL(), this.template.fields, "all", true);
    (prepared as unknown as PreparedInternals).joinsNotNullableMap = this.template.joinsNotNullableMap;
    return prepared;
  }

  // biome-ignore lint/suspicious/noThenProperty: awaited like the builder it stands for.
  then<R1 = T[], R2 = never>(onfulfilled?: ((rows: T[]) => R1 | PromiseLike<R1>) | null, onrejected?: ((reason: unknown) => R2 | PromiseLike<R2>) | null) {
    return (this._prepare().all() as Promise<T[]>).then(onfulfilled, onrejected);
  }
}

type RowOf<B> = B extends RunnableQuery<(infer T)[], "sqlite"> ? T : never;

/**
 * A select whose SQL is built once per shape: `build` gets placeholders for
 * the values (and the values, to choose its shape); `shapeOf` names each
 * shape, so a builder that branches on a value must name that branch there.
 */
export function reusableQuery<V extends Record<string, unknown>, B extends RunnableQuery<unknown[], "sqlite">>(
  build: (db: Db, p: Holders<V>, values: V) => B,
  shapeOf: (values: V) => string = () => "",
): (db: Db, values: V) => ReusedQuery<RowOf<B>> {
  const templates = new Map<string, Template>();
  return (db, values) => {
    const shape = shapeOf(values);
    let template = templates.get(shape);
    if (!template) {
      const holders = Object.fromEntries(Object.keys(values).map((name) => [name, sql.placeholder(name)])) as Holders<V>;
      const builder = build(templateDb, holders, values) as unknown as { _prepare(): PreparedInternals };
      const prepared = builder._prepare();
      template = { query: prepared.getQuery(), fields: prepared.fields, joinsNotNullableMap: prepared.joinsNotNullableMap };
      templates.set(shape, template);
    }
    return new ReusedQuery<RowOf<B>>(db, template, values);
  };
}
