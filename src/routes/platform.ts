// What a request hands the comment services (src/comments/service.ts): the
// primary D1 (whoever writes reads their own writes next), this invocation's
// edge cache to purge, and mail as the vars set it up. Routes call a service
// and never purge or mail themselves (test/routes/imports.node.test.ts).
import type { Context } from "hono";
import { type CommentPlatform, getCommentPlatform } from "../comments/service";
import type { AppEnv } from "../env";
import { writerDb } from "./db";

/** The platform of this request, for one service call. */
export function commentPlatform(c: Context<AppEnv>): CommentPlatform {
  return getCommentPlatform(c.env, writerDb(c), c.executionCtx, Date.now());
}
