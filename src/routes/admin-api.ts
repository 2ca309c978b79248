// The moderation JSON API under /admin/api, for scripts and tools (Bearer token).
import * as v from "valibot";
import { purgePublishedPages } from "../articles/publish-service";
import { isCacheTag } from "../cache";
import { CommentTextError, commentPatchSchema, moderationRequestSchema } from "../comments/moderation";
import { type AdminComment, countCommentsByStatus, getCommentForAdmin, listCommentsForAdmin, listOpenFailedMessages } from "../comments/moderation-queries";
import { erasePersonalData, exportPersonalData, readRequestedEmail } from "../comments/personal-data";
import { moderateComments, patchComment } from "../comments/service";
import { getCommentSettings, getSiteSettings } from "../config";
import { PURGE_API_MAX_BODY_BYTES, PURGE_API_MAX_TAGS } from "../db/limits";
import { COMMENT_STATUSES } from "../db/schema";
import type { AppEnv } from "../env";
import { EDITOR_ADDRESS, getTranslator } from "../i18n";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { Hono } from "../lib/hono";
import { describeIssues, validBody } from "../lib/request-body";
import { type QueryProblem, validQuery } from "../lib/request-query";
import { SLUG_PATTERN } from "../lib/slug";
import { describeProblem } from "../views/comment-form";
import { decodeCursor, encodeCursor, PAGE_LIMIT } from "./admin-cursor";
import { requireBearer } from "./admin-guard";
import { writerDb } from "./db";
import { commentPlatform } from "./platform";

const api = new Hono<AppEnv>();
api.use(requireBearer);

function toJson(comment: AdminComment) {
  let reasons: unknown = [];
  try {
    reasons = JSON.parse(comment.reasons);
  } catch {
    reasons = [];
  }
  return {
    id: comment.id,
    article: { slug: comment.articleSlug, title: comment.articleTitle },
    parentId: comment.parentId,
    status: comment.status,
    author: comment.author,
    byEditor: comment.byEditor,
    email: comment.email,
    url: comment.url,
    comment: comment.bodyRaw,
    html: comment.bodyHtml,
    reasons,
    ipHash: comment.ipHash,
    userAgent: comment.userAgent,
    createdAt: new Date(comment.createdAt).toISOString(),
    decidedAt: comment.decidedAt === null ? null : new Date(comment.decidedAt).toISOString(),
  };
}

const STATUS_MESSAGE = 'must be one of "pending", "approved", "spam", "trash"';

/** Query parameters that fail their schema or repeat: 422 naming each, as for bodies (the admin's onError renders it). */
function refuseInvalidQuery(_c: unknown, problems: QueryProblem[]): never {
  throw new InvalidInputError(describeIssues(problems.map((p) => ({ message: p.message, path: [p.field] }))));
}

const ListQuery = v.object({
  status: v.optional(v.union([v.picklist(COMMENT_STATUSES), v.literal("all"), v.literal("")], `${STATUS_MESSAGE} or "all"`)),
  article: v.optional(v.pipe(v.string(), v.regex(SLUG_PATTERN, "must be an article slug"))),
  cursor: v.optional(
    v.pipe(
      v.string(),
      v.rawTransform(({ dataset, addIssue, NEVER }) => {
        const cursor = decodeCursor(dataset.value);
        if (cursor) return cursor;
        addIssue({ message: "is not a cursor this API returned" });
        return NEVER;
      }),
    ),
  ),
  limit: v.optional(
    v.pipe(v.string(), v.regex(/^\d{1,3}$/, `must be a whole number from 1 to ${PAGE_LIMIT}`), v.transform(Number), v.minValue(1), v.maxValue(PAGE_LIMIT)),
    String(PAGE_LIMIT),
  ),
});

api.get("/comments", validQuery(ListQuery, refuseInvalidQuery), async (c) => {
  const { status, article, cursor, limit } = c.req.valid("query");
  const db = writerDb(c);
  const rows = await listCommentsForAdmin(db, { status: status === "all" || !status ? undefined : status, articleSlug: article, cursor, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return c.json({
    comments: page.map(toJson),
    nextCursor: rows.length > limit && last ? encodeCursor(last) : null,
    counts: await countCommentsByStatus(db),
  });
});

api.get("/comments/:id", async (c) => {
  const comment = await getCommentForAdmin(writerDb(c), c.req.param("id"));
  if (!comment) throw new NotFoundError("no comment with this id");
  return c.json(toJson(comment));
});

const PatchBody = v.pipe(
  commentPatchSchema,
  v.check((body) => body.status !== undefined || body.comment !== undefined, "give status or comment"),
);

api.patch("/comments/:id", validBody(PatchBody, { limit: 512 * 1024, formats: ["json"] }), async (c) => {
  const platform = commentPlatform(c);
  const id = c.req.param("id");
  try {
    await patchComment(platform, id, c.req.valid("form"));
  } catch (err) {
    // The API speaks English: the text problem in the words the form uses.
    if (err instanceof CommentTextError) throw new InvalidInputError({ comment: describeProblem(getTranslator("en", EDITOR_ADDRESS), err.problem) });
    throw err;
  }
  const updated = await getCommentForAdmin(platform.db, id);
  if (!updated) throw new NotFoundError("no comment with this id");
  return c.json(toJson(updated));
});

api.delete("/comments/:id", async (c) => {
  const platform = commentPlatform(c);
  const id = c.req.param("id");
  if (!(await getCommentForAdmin(platform.db, id))) throw new NotFoundError("no comment with this id");
  await moderateComments(platform, [id], "delete");
  return c.body(null, 204);
});

/** Bulk moderation, the same path as the admin pages; `npm run comments -- <action> --remote` calls it. */
api.post("/comments/moderate", validBody(moderationRequestSchema, { limit: 64 * 1024, formats: ["json"] }), async (c) => {
  const { ids, action } = c.req.valid("form");
  const result = await moderateComments(commentPlatform(c), ids, action);
  // "purged": done at the edge now; "purgeDeferred": it failed, and the Worker's next cron purges.
  return c.json({ changed: result.changed, tags: result.tags, purged: result.purge === "purged", purgeDeferred: result.purge === "deferred" });
});

/** What the purge endpoint takes: this site's tags, or every cached page (a renderer upgrade, a large import). */
const TAGS_MESSAGE = `must be a list of 1 to ${PURGE_API_MAX_TAGS} cache tags`;
const PurgeBody = v.pipe(
  v.object({
    tags: v.optional(
      v.pipe(
        v.array(v.string(), TAGS_MESSAGE),
        v.minLength(1, TAGS_MESSAGE),
        v.maxLength(PURGE_API_MAX_TAGS, TAGS_MESSAGE),
        v.check(
          (tags) => tags.every(isCacheTag),
          (issue) =>
            `not cache tags of this site: ${issue.input
              .filter((t) => !isCacheTag(t))
              .slice(0, 5)
              .map((t) => JSON.stringify(t))
              .join(", ")}`,
        ),
      ),
    ),
    everything: v.optional(v.literal(true, "must be true (purge every cached page), or left out")),
  }),
  v.check((body) => (body.tags === undefined) !== (body.everything === undefined), "give either tags or everything: true"),
);

/** The publish command calls this after writing to D1, which the Worker does not see; each request fits Cloudflare's purge limits. */
api.post("/cache/purge", validBody(PurgeBody, { limit: PURGE_API_MAX_BODY_BYTES, formats: ["json"] }), async (c) => {
  return c.json(await purgePublishedPages(c.executionCtx, c.req.valid("form").tags));
});

api.get("/failed-messages", async (c) => c.json({ failedMessages: await listOpenFailedMessages(writerDb(c)) }));

/**
 * A commenter's request by letter (Art. 15 and 17 DSGVO), as the CLI's
 * --remote sends it: the same service as their own page. `via` says who asked
 * the API, for the request log ("cli" from `npm run comments`).
 */
const PersonalDataBody = v.object({
  email: v.unknown(),
  deleteComments: v.optional(v.boolean("must be true or false"), false),
  via: v.optional(v.picklist(["cli", "api"], 'must be "cli" or "api"'), "api"),
});
const personalDataBody = validBody(PersonalDataBody, { limit: 4096, formats: ["json"] });

function personalDataKeys(env: Env) {
  const s = getCommentSettings(env);
  return { ipSalt: s.ipSalt, formSecret: s.formSecret };
}

api.post("/personal-data/export", personalDataBody, async (c) => {
  const body = c.req.valid("form");
  const email = readRequestedEmail(body.email);
  const siteUrl = getSiteSettings(c.env).url;
  return c.json(await exportPersonalData(commentPlatform(c), personalDataKeys(c.env), { email, siteUrl, via: body.via }));
});

api.post("/personal-data/erase", personalDataBody, async (c) => {
  const body = c.req.valid("form");
  const email = readRequestedEmail(body.email);
  const result = await erasePersonalData(commentPlatform(c), personalDataKeys(c.env), { email, deleteComments: body.deleteComments, via: body.via });
  return c.json({
    comments: result.comments,
    deleted: result.deleted,
    subscriptions: result.subscriptions,
    changed: result.changed,
    tags: result.tags,
    purged: result.purge === "purged",
    purgeDeferred: result.purge === "deferred",
  });
});

export default api;
