// After a change to published content: make sure no cache keeps serving the
// old pages of these articles. Pages are revalidated by browsers on every
// request (max-age=0 with an ETag), so today there is nothing to purge; the
// edge cache hooks in here.
import type { Context } from "hono";
import type { AppEnv } from "../env";

/** Called with the slugs of articles whose public pages changed. */
export function refreshArticles(_c: Context<AppEnv>, _slugs: string[]): void {}
