// Query parameters read strictly: each parameter a route names may appear
// once. Kept by hand instead of sValidator("query"), which hands a repeated
// parameter to the schema as an array, so the refusal names whichever check
// failed on it (the search answered `?q=a&q=b` with a 400 about "page").
// WordPress (PHP) silently takes the last value; a cache or firewall rule may
// read the first, so two readings of one URL are refused rather than guessed.
// Parameters the route does not name (utm_source, …) are left alone.
import type { Context, Env, MiddlewareHandler } from "hono";
import * as v from "valibot";

/** What is wrong with one query parameter. */
export interface QueryProblem {
  field: string;
  /** Given more than once (then `message` says so). */
  repeated: boolean;
  message: string;
}

type QuerySchema = v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;

/**
 * Middleware: the parameters `schema` names, each at most once, checked by it
 * and handed to the handler as c.req.valid("query"); otherwise `refuse` answers
 * (or throws) with the problems, repeated parameters first and alone.
 */
export function validQuery<S extends QuerySchema, E extends Env = Env>(
  schema: S,
  refuse: (c: Context<E>, problems: [QueryProblem, ...QueryProblem[]]) => Response | Promise<Response>,
): MiddlewareHandler<E, string, { in: { query: Record<string, string> }; out: { query: v.InferOutput<S> } }> {
  const names = Object.keys(schema.entries);
  return async (c, next) => {
    const params = new URL(c.req.url).searchParams;
    const values: Record<string, string> = Object.create(null);
    const repeated: QueryProblem[] = [];
    for (const name of names) {
      const all = params.getAll(name);
      if (all.length > 1) repeated.push({ field: name, repeated: true, message: "was given more than once" });
      else if (all[0] !== undefined) values[name] = all[0];
    }
    const [firstRepeated, ...moreRepeated] = repeated;
    if (firstRepeated) return refuse(c, [firstRepeated, ...moreRepeated]);
    const result = v.safeParse(schema, values);
    if (!result.success) {
      const [first, ...more] = result.issues.map((issue) => ({ field: String(issue.path?.[0]?.key ?? "query"), repeated: false, message: issue.message }));
      return refuse(c, [first ?? { field: "query", repeated: false, message: "is not valid" }, ...more]);
    }
    c.req.addValidatedData("query", result.output);
    await next();
  };
}
