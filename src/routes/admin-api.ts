// The moderation JSON API under /admin/api, for scripts and tools (Bearer token).
import * as v from "valibot";
import { isCacheTag, purgeCommentPages, purgeEdgeCache } from "../cache";
import { CommentTextError, commentPatchSchema, moderateComments, patchComment } from "../comments/moderation";
import { type AdminComment, countCommentsByStatus, getCommentForAdmin, listCommentsForAdmin, listOpenFailedMessages } from "../comments/moderation-queries";
import { moderationRequestSchema } from "../comments/moderation-sql";
import { mailAfterModeration } from "../comments/reader-mail";
import { COMMENT_STATUSES } from "../db/schema";
import type { AppEnv } from "../env";
import { getTranslator } from "../i18n";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { Hono } from "../lib/hono";
import { describeIssues, validBody } from "../lib/request-body";
import { type QueryProblem, validQuery } from "../lib/request-query";
import { SLUG_PATTERN } from "../lib/slug";
import { describeProblem } from "../views/comment-form";
import { decodeCursor, encodeCursor, PAGE_LIMIT } from "./admin-cursor";
import { requireBearer } from "./admin-guard";
import { writerDb } from "./db";

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
  const db = writerDb(c);
  const id = c.req.param("id");
  try {
    await purgeCommentPages(c.executionCtx, (await patchComment(db, id, c.req.valid("form"), Date.now())).articleIds);
    await mailAfterModeration(c.env, db, [id], Date.now());
  } catch (err) {
    // The API speaks English: the text problem in the words the form uses.
    if (err instanceof CommentTextError) throw new InvalidInputError({ comment: describeProblem(getTranslator("en"), err.problem) });
    throw err;
  }
  const updated = await getCommentForAdmin(db, id);
  if (!updated) throw new NotFoundError("no comment with this id");
  return c.json(toJson(updated));
});

api.delete("/comments/:id", async (c) => {
  const db = writerDb(c);
  const id = c.req.param("id");
  const existing = await getCommentForAdmin(db, id);
  if (!existing) throw new NotFoundError("no comment with this id");
  await purgeCommentPages(c.executionCtx, (await moderateComments(db, [id], "delete", Date.now())).articleIds);
  return c.body(null, 204);
});

/** Bulk moderation, the same path as the admin pages; `npm run comments -- <action> --remote` calls it. */
api.post("/comments/moderate", validBody(moderationRequestSchema, { limit: 64 * 1024, formats: ["json"] }), async (c) => {
  const { ids, action } = c.req.valid("form");
  const db = writerDb(c);
  const result = await moderateComments(db, ids, action, Date.now());
  const purge = await purgeEdgeCache(c.executionCtx, result.tags);
  await mailAfterModeration(c.env, db, result.changed, Date.now());
  return c.json({ changed: result.changed, tags: result.tags, purged: purge.purged });
});

/** The publish command calls this after writing to D1, which the Worker does not see. */
const PurgeBody = v.object({
  tags: v.pipe(
    v.array(v.string(), "must be a list of 1 to 1000 cache tags"),
    v.minLength(1, "must be a list of 1 to 1000 cache tags"),
    v.maxLength(1000, "must be a list of 1 to 1000 cache tags"),
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
});

/** The publish command calls this after writing to D1, which the Worker does not see. */
api.post("/cache/purge", validBody(PurgeBody, { limit: 64 * 1024, formats: ["json"] }), async (c) => {
  return c.json(await purgeEdgeCache(c.executionCtx, c.req.valid("form").tags));
});

api.get("/failed-messages", async (c) => c.json({ failedMessages: await listOpenFailedMessages(writerDb(c)) }));

export default api;
