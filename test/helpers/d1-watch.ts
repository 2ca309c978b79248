type Fn = (...args: unknown[]) => unknown;

export interface Execution {
  /** The statement's SQL; for a batch, its statements' joined. */
  sql: string;
  /** Each statement's SQL (one for a statement on its own). */
  statements: string[];
  /** "batch" for a batch (its statements' SQL joined), else the statement's method. */
  method: string;
  /** Where it ran: the binding itself, or a session opened with this constraint or bookmark. */
  on: string;
}

export interface WatchedD1 {
  /** Pass as env.DB: every call goes through to the real local D1. */
  db: D1Database;
  /** The argument of each withSession call, in order. */
  sessions: string[];
  /** The sessions the real D1 opened, in order (ask them for their bookmark). */
  opened: D1DatabaseSession[];
  /** Every statement run and every batch, in order (a failure injected by `fail` included). */
  executions: Execution[];
}

/**
 * The real D1 binding, watched: which sessions are opened and what runs on
 * each. `fail` may turn an execution into an error before it reaches D1
 * (return the error to throw, or undefined to let it through).
 */
export function watchD1(real: D1Database, fail: (e: Execution) => Error | undefined = () => undefined): WatchedD1 {
  const watched: WatchedD1 = { db: real, sessions: [], opened: [], executions: [] };
  const originals = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();

  const run = (e: Execution, call: () => unknown): unknown => {
    watched.executions.push(e);
    const error = fail(e);
    // As D1 fails: a rejected promise, never a throw.
    return error ? Promise.reject(error) : call();
  };

  const wrapStatement = (stmt: D1PreparedStatement, sql: string, on: string): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement((value as Fn).apply(target, args) as D1PreparedStatement, sql, on);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => run({ sql, statements: [sql], method: prop, on }, () => (value as Fn).apply(target, args));
        }
        return (value as Fn).bind(target);
      },
    });
    originals.set(proxy, stmt);
    sqlOf.set(proxy, sql);
    return proxy;
  };

  const wrap = <T extends D1Database | D1DatabaseSession>(target: T, on: string): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "prepare") return (sql: string) => wrapStatement((value as Fn).call(t, sql) as D1PreparedStatement, sql, on);
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            const texts = statements.map((s) => sqlOf.get(s) ?? "?");
            return run({ sql: texts.join(";\n"), statements: texts, method: "batch", on }, () =>
              // D1 takes only its own statement objects.
              (value as Fn).call(
                t,
                statements.map((s) => originals.get(s) ?? s),
              ),
            );
          };
        }
        if (prop === "withSession") {
          return (arg?: string) => {
            watched.sessions.push(arg ?? "");
            const session = (value as Fn).call(t, arg) as D1DatabaseSession;
            watched.opened.push(session);
            return wrap(session, arg ?? "");
          };
        }
        return (value as Fn).bind(t);
      },
    });

  watched.db = wrap(real, "binding");
  return watched;
}
