type Fn = (...args: unknown[]) => unknown;

/**
 * The real D1 binding, counting round trips: each statement run on its own
 * and each batch count once. Every call goes through to the real D1.
 */
export function countingD1(db: D1Database): { db: D1Database; count: () => number } {
  let trips = 0;
  const originals = new WeakMap<object, D1PreparedStatement>();

  const wrapStatement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "bind") return (...args: unknown[]) => wrapStatement((value as Fn).apply(target, args) as D1PreparedStatement);
        if (prop === "first" || prop === "all" || prop === "run" || prop === "raw") {
          return (...args: unknown[]) => {
            trips += 1;
            return (value as Fn).apply(target, args);
          };
        }
        return (value as Fn).bind(target);
      },
    });
    originals.set(proxy, stmt);
    return proxy;
  };

  const wrap = <T extends D1Database | D1DatabaseSession>(target: T): T =>
    new Proxy(target, {
      get(t, prop) {
        const value = Reflect.get(t, prop, t) as unknown;
        if (typeof value !== "function") return value;
        if (prop === "prepare") return (sql: string) => wrapStatement((value as Fn).call(t, sql) as D1PreparedStatement);
        if (prop === "batch") {
          return (statements: D1PreparedStatement[]) => {
            trips += 1;
            // D1 takes only its own statement objects.
            return (value as Fn).call(
              t,
              statements.map((s) => originals.get(s) ?? s),
            );
          };
        }
        if (prop === "withSession") return (arg?: string) => wrap((value as Fn).call(t, arg) as D1DatabaseSession);
        return (value as Fn).bind(t);
      },
    });

  return { db: wrap(db), count: () => trips };
}
