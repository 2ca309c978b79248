// What admin form posts share: `?return=` checked before acting, the form
// checked against its schema, the way back, the end of a session.
import type { Context } from "hono";
import { deleteCookie } from "hono/cookie";
import { HTTPException } from "hono/http-exception";
import * as v from "valibot";
import { SESSION_COOKIE } from "../admin/session";
import type { AppEnv } from "../env";
import { wantsSecureCookies } from "../lib/cookies";
import { InvalidInputError } from "../lib/errors";
import { describeIssues } from "../lib/request-body";
import { validQuery } from "../lib/request-query";

/** `?return=`: where a form goes back to, checked before anything is changed. */
export const returnQuery = validQuery(
  v.object({
    return: v.optional(
      v.pipe(
        v.string(),
        // A control character or backslash would break or bend the Location header.
        v.regex(/^[^\\\u0000-\u001f\u007f]*$/, "must not contain control characters or backslashes"),
      ),
    ),
  }),
  (_c, problems) => {
    throw new HTTPException(400, { message: `invalid ?return=: ${problems.map((p) => p.message).join("; ")}` });
  },
);

/** A path inside the admin to go back to, or /admin. */
export function safeReturn(value: string | undefined): string {
  return value?.startsWith("/admin") && !value.startsWith("//") ? value : "/admin";
}

/** Checks an already read admin form against a schema; InvalidInputError (422) names the fields. */
export function parseAdminForm<S extends v.GenericSchema>(c: Context<AppEnv>, schema: S): v.InferOutput<S> {
  const result = v.safeParse(schema, c.get("adminForm"));
  if (!result.success) throw new InvalidInputError(describeIssues(result.issues));
  return result.output;
}

/** The admin path with the number of comments an action changed. */
export function withDone(path: string, n: number): string {
  return `${path}${path.includes("?") ? "&" : "?"}done=${n}`;
}

/** Clears the session cookie and goes to the login form. */
export function endSession(c: Context<AppEnv>) {
  deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: wantsSecureCookies(c.req.url) });
  return c.redirect("/admin/login", 303);
}
