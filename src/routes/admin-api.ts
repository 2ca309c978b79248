// The moderation JSON API under /admin/api, for scripts and tools (Bearer token).
import { type Context, Hono } from "hono";
import * as v from "valibot";
import { isCacheTag, purgeEdgeCache } from "../cache";
import { CommentTextError, commentPatchSchema, moderateComments, patchComment } from "../comments/moderation";
import { type AdminComment, countCommentsByStatus, getCommentForAdmin, listCommentsForAdmin, listOpenFailedMessages } from "../comments/moderation-queries";
import { moderationRequestSchema } from "../comments/moderation-sql";
import { parseCommentStatus } from "../db/schema";
import type { AppEnv } from "../env";
import { getTranslator } from "../i18n";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { readRequestBody } from "../lib/request-body";
import { SLUG_PATTERN } from "../lib/slug";
import { describeProblem } from "../views/comment-form";
import { decodeCursor, encodeCursor, PAGE_LIMIT } from "./admin-cursor";
import { requireBearer } from "./admin-guard";
import { writerDb } from "./db";
import { purgeCommentPages } from "./refresh";

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

function invalid(c: Context<AppEnv>, fields: Record<string, string>) {
  return c.json({ error: `invalid ${Object.keys(fields).join(", ")}`, fields }, 422);
}

api.get("/comments", async (c) => {
  const statusParam = c.req.query("status");
  const status = statusParam === undefined || statusParam === "" ? undefined : parseCommentStatus(statusParam);
  const article = c.req.query("article") || undefined;
  const cursorParam = c.req.query("cursor");
  const cursor = cursorParam ? decodeCursor(cursorParam) : undefined;
  const fields: Record<string, string> = {};
  if (status === null) fields.status = 'must be one of "pending", "approved", "spam", "trash"';
  if (article !== undefined && !SLUG_PATTERN.test(article)) fields.article = "must be an article slug";
  if (cursor === null) fields.cursor = "is not a cursor this API returned";
  if (Object.keys(fields).length > 0) return invalid(c, fields);
  const db = writerDb(c);
  const rows = await listCommentsForAdmin(db, { status: status ?? undefined, articleSlug: article, cursor: cursor ?? undefined, limit: PAGE_LIMIT + 1 });
  const page = rows.slice(0, PAGE_LIMIT);
  const last = page[page.length - 1];
  return c.json({
    comments: page.map(toJson),
    nextCursor: rows.length > PAGE_LIMIT && last ? encodeCursor(last) : null,
    counts: await countCommentsByStatus(db),
  });
});

api.get("/comments/:id", async (c) => {
  const comment = await getCommentForAdmin(writerDb(c), c.req.param("id"));
  return comment ? c.json(toJson(comment)) : c.json({ error: "no comment with this id" }, 404);
});

api.patch("/comments/:id", async (c) => {
  const body = await readRequestBody(c.req.raw, 512 * 1024);
  if (!body.ok) return c.json({ error: body.message }, body.status);
  if (body.format !== "json") return c.json({ error: "PATCH takes application/json" }, 415);
  const parsed = v.safeParse(commentPatchSchema, body.fields);
  if (!parsed.success) {
    const fields = Object.fromEntries(
      parsed.issues.map((i) => {
        const key = String(i.path?.[0]?.key ?? "body");
        return [key, i.type === "strict_object" ? "is not a field you can change (status, comment)" : i.message];
      }),
    );
    return invalid(c, fields);
  }
  const db = writerDb(c);
  const id = c.req.param("id");
  let articleIds: number[];
  try {
    articleIds = (await patchComment(db, id, parsed.output, Date.now())).articleIds;
  } catch (err) {
    if (err instanceof CommentTextError) return invalid(c, { comment: describeProblem(getTranslator("en"), err.problem) });
    if (err instanceof InvalidInputError) return invalid(c, err.fields);
    if (err instanceof NotFoundError) return c.json({ error: "no comment with this id" }, 404);
    throw err;
  }
  await purgeCommentPages(c, articleIds);
  const updated = await getCommentForAdmin(db, id);
  return updated ? c.json(toJson(updated)) : c.json({ error: "no comment with this id" }, 404);
});

api.delete("/comments/:id", async (c) => {
  const db = writerDb(c);
  const id = c.req.param("id");
  const existing = await getCommentForAdmin(db, id);
  if (!existing) return c.json({ error: "no comment with this id" }, 404);
  await purgeCommentPages(c, (await moderateComments(db, [id], "delete", Date.now())).articleIds);
  return c.body(null, 204);
});

/** Bulk moderation, the same path as the admin pages; `npm run comments -- <action> --remote` calls it. */
api.post("/comments/moderate", async (c) => {
  const body = await readRequestBody(c.req.raw, 64 * 1024);
  if (!body.ok) return c.json({ error: body.message }, body.status);
  if (body.format !== "json") return c.json({ error: "send application/json" }, 415);
  const parsed = v.safeParse(moderationRequestSchema, body.fields);
  if (!parsed.success) return invalid(c, Object.fromEntries(parsed.issues.map((i) => [String(i.path?.[0]?.key ?? "body"), i.message])));
  const result = await moderateComments(writerDb(c), parsed.output.ids, parsed.output.action, Date.now());
  const purge = await purgeEdgeCache(c.executionCtx, result.tags);
  return c.json({ changed: result.changed, tags: result.tags, purged: purge.purged });
});

/** The publish command calls this after writing to D1, which the Worker does not see. */
api.post("/cache/purge", async (c) => {
  const body = await readRequestBody(c.req.raw, 64 * 1024);
  if (!body.ok) return c.json({ error: body.message }, body.status);
  if (body.format !== "json") return c.json({ error: "send application/json" }, 415);
  const tags = body.fields.tags;
  if (!Array.isArray(tags) || tags.length === 0 || tags.length > 1000) return invalid(c, { tags: "must be a list of 1 to 1000 cache tags" });
  const bad = tags.filter((tag) => !isCacheTag(tag));
  if (bad.length > 0)
    return invalid(c, {
      tags: `not cache tags of this site: ${bad
        .slice(0, 5)
        .map((t) => JSON.stringify(t))
        .join(", ")}`,
    });
  const outcome = await purgeEdgeCache(c.executionCtx, tags as string[]);
  return c.json(outcome);
});

api.get("/failed-messages", async (c) => c.json({ failedMessages: await listOpenFailedMessages(writerDb(c)) }));

export default api;
