// `npm run comments -- <command>` on the local D1 (the default): the Worker's
// own service function does each action on the D1 binding that wrangler's
// platform proxy holds open (tools/lib/local-env.ts), so the terminal and the
// web admin write the same rows. Locally there is no edge cache to purge, and
// no mail is sent from here: the mail an approval made due is read from D1 by
// the Worker's 10-minute cron, which sends it. No Node APIs here: the
// Worker's tests run it on their own D1.
import { erasePersonalData, exportPersonalData } from "../../src/comments/personal-data";
import { type CommentPlatform, moderateComments } from "../../src/comments/service";
import { getCommentSettings, getSiteSettings } from "../../src/config";
import { getDb } from "../../src/db/client";
import type { CommentsBackend } from "./comments-backend";

/**
 * Reading and moderating on a local D1 binding, at `now`. `env` holds the
 * vars and secrets (wrangler.toml, .dev.vars) that requests about a
 * commenter's data hash the address with; read only for those.
 */
export function localBackend(d1: D1Database, now: number, env: object = {}): CommentsBackend {
  const platform: CommentPlatform = { db: getDb(d1), purge: null, notices: null, now };
  const keys = () => {
    const s = getCommentSettings(env);
    return { ipSalt: s.ipSalt, formSecret: s.formSecret };
  };
  return {
    read: async (sql) => (await d1.prepare(sql).all()).results,
    moderate: (action, ids) => moderateComments(platform, ids, action),
    exportData: (email) => exportPersonalData(platform, keys(), { email, siteUrl: getSiteSettings(env).url, via: "cli" }),
    eraseData: (email, deleteComments) => erasePersonalData(platform, keys(), { email, deleteComments, via: "cli" }),
  };
}
