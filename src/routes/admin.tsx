import type { Context } from "hono";
import { except } from "hono/combine";
import { setSignedCookie } from "hono/cookie";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import * as v from "valibot";
import { csrfTokenFor, formatSessionClaim, newSession, SESSION_COOKIE, SESSION_TTL_MS } from "../admin/session";
import { insertSession, revokeAllSessions, revokeSession } from "../admin/session-queries";
import { getDeskStats } from "../comments/desk-stats";
import { CommentTextError, MODERATION_ACTIONS } from "../comments/moderation";
import { countCommentsByStatus, getCommentForAdmin, listCommentsForAdmin, listOpenFailedMessages } from "../comments/moderation-queries";
import { editComment, moderateComments, replyAsEditor } from "../comments/service";
import { resolveFailedMessage, retryFailedMessage } from "../comments/service-queue";
import { getCommentSettings, getRetentionSettings } from "../config";
import { parseCommentStatus } from "../db/schema";
import type { AppEnv } from "../env";
import { EDITOR_ADDRESS, getTranslator, type Translate } from "../i18n";
import { wantsSecureCookies } from "../lib/cookies";
import { NotFoundError } from "../lib/errors";
import { Hono } from "../lib/hono";
import { validBody } from "../lib/request-body";
import { SLUG_PATTERN } from "../lib/slug";
import { CommentDetailView } from "../views/admin/comment-detail";
import { DashboardView } from "../views/admin/dashboard";
import adminApi from "./admin-api";
import { decodeCursor, encodeCursor, PAGE_LIMIT } from "./admin-cursor";
import { endSession, parseAdminForm, returnQuery, safeReturn, withDone } from "./admin-forms";
import { checkAdminToken, guardAdmin, requireCsrfToken, requireSession } from "./admin-guard";
import { adminLang, renderLogin } from "./admin-login";
import { writerDb } from "./db";
import { answerError } from "./errors";
import { commentPlatform } from "./platform";
import { renderPage } from "./respond";

const admin = new Hono<AppEnv>();
// The one place admin errors become responses: JSON for the API, a page for the forms.
admin.onError((err, c) => answerError(c, err, c.req.path.startsWith("/admin/api/") ? "json" : "html"));
admin.use(guardAdmin);
admin.route("/api", adminApi);
// The pages' middleware must not run for API paths that have no route (they get 404/405 as JSON).
const pagesOnly = (...middleware: Parameters<typeof except>[1][]) => except("/admin/api/*", ...middleware);
admin.use(pagesOnly(csrf()));

function renderAdmin(c: Context<AppEnv>, title: string, body: (t: Translate) => Child, status: 200 | 401 | 404 | 422 = 200) {
  return renderPage(c, { lang: adminLang(c), title }, body, status);
}

admin.get("/login", (c) => renderLogin(c, false, 200));

admin.post("/login", validBody(v.object({ token: v.optional(v.string(), "") }), { limit: 16 * 1024, formats: ["form"] }), async (c) => {
  if (!(await checkAdminToken(c, c.req.valid("form").token))) return renderLogin(c, true, 401);
  const now = Date.now();
  const session = newSession(now);
  await insertSession(writerDb(c), session.id, now, session.expiresAt);
  await setSignedCookie(c, SESSION_COOKIE, formatSessionClaim(session), c.get("admin").token, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: wantsSecureCookies(c.req.url),
    maxAge: SESSION_TTL_MS / 1000,
  });
  return c.redirect("/admin", 303);
});

admin.use(pagesOnly(requireSession));
admin.use(pagesOnly((c, next) => (c.req.method === "POST" ? requireCsrfToken(c, next) : next())));

/** Logout ends this session on the server: the old cookie no longer opens anything. */
admin.post("/logout", async (c) => {
  await revokeSession(writerDb(c), c.get("session").id, Date.now());
  return endSession(c);
});

/** For a lost or shared device: every session ends. */
admin.post("/logout-all", async (c) => {
  await revokeAllSessions(writerDb(c), Date.now());
  return endSession(c);
});

admin.get("/", async (c) => {
  const db = writerDb(c);
  const statusParam = c.req.query("status") ?? "pending";
  const status = statusParam === "all" ? null : (parseCommentStatus(statusParam) ?? "pending");
  const article = c.req.query("article")?.trim() || null;
  const cursor = decodeCursor(c.req.query("cursor") ?? "") ?? undefined;
  const now = Date.now();
  const [rows, counts, failed, csrf, stats] = await Promise.all([
    listCommentsForAdmin(db, {
      status: status ?? undefined,
      articleSlug: article && SLUG_PATTERN.test(article) ? article : undefined,
      cursor,
      limit: PAGE_LIMIT + 1,
    }),
    countCommentsByStatus(db),
    listOpenFailedMessages(db),
    csrfTokenFor(c.get("admin").token, c.get("session")),
    getDeskStats(db, now),
  ]);
  const params = new URLSearchParams({ status: status ?? "all", ...(article ? { article } : {}) });
  const last = rows[PAGE_LIMIT - 1];
  const done = c.req.query("done");
  const t = getTranslator(adminLang(c), EDITOR_ADDRESS);
  return renderAdmin(c, t("adminTitle"), (tr) => (
    <DashboardView
      data={{
        counts,
        status,
        article,
        comments: rows.slice(0, PAGE_LIMIT),
        nextHref: rows.length > PAGE_LIMIT && last ? `/admin?${params}&cursor=${encodeCursor(last)}` : null,
        isFirstPage: !cursor,
        failed,
        failedKeepDays: getRetentionSettings(c.env).expireDays,
        stats,
        now,
        csrf,
        firstTimeMode: getCommentSettings(c.env).moderation === "first_time",
        notice: describeOutcome(tr, done, c.req.query("problem")),
        returnTo: `/admin?${params}${cursor ? `&cursor=${c.req.query("cursor")}` : ""}`,
      }}
    />
  ));
});

/** The line above the list after a bulk action: what changed, or why nothing did. */
function describeOutcome(t: Translate, done: string | undefined, problem: string | undefined): string | null {
  if (problem === "action") return t("adminNoAction");
  if (done === undefined) return null;
  return done === "0" ? t("adminNothingSelected") : t("adminDone", { n: done });
}

// The select starts on an empty choice: nothing happens until one is made.
const BulkForm = v.object({
  action: v.optional(v.picklist(["", ...MODERATION_ACTIONS], `must be one of ${MODERATION_ACTIONS.join(", ")}`), ""),
  id: v.optional(v.array(v.string()), []),
});

admin.post("/comments/bulk", returnQuery, async (c) => {
  const { action, id: ids } = parseAdminForm(c, BulkForm);
  const back = safeReturn(c.req.valid("query").return);
  if (action === "") return c.redirect(`${back}${back.includes("?") ? "&" : "?"}problem=action`, 303);
  await moderateComments(commentPlatform(c), ids, action);
  return c.redirect(withDone(back, ids.length), 303);
});

admin.post("/comments/:id/:action{approve|unapprove|spam|trash|restore|delete}", returnQuery, async (c) => {
  const platform = commentPlatform(c);
  const id = c.req.param("id");
  const action = v.parse(v.picklist(MODERATION_ACTIONS), c.req.param("action"));
  if (!(await getCommentForAdmin(platform.db, id))) throw new NotFoundError("no comment with this id");
  await moderateComments(platform, [id], action);
  return c.redirect(withDone(safeReturn(c.req.valid("query").return), 1), 303);
});

async function renderDetail(c: Context<AppEnv>, id: string, problem?: Parameters<typeof CommentDetailView>[0]["problem"]) {
  const comment = await getCommentForAdmin(writerDb(c), id);
  const t = getTranslator(adminLang(c), EDITOR_ADDRESS);
  if (!comment) return renderAdmin(c, t("notFoundTitle"), (tr) => <p>{tr("notFoundText")}</p>, 404);
  const csrf = await csrfTokenFor(c.get("admin").token, c.get("session"));
  const firstTimeMode = getCommentSettings(c.env).moderation === "first_time";
  return renderAdmin(
    c,
    t("adminDetails"),
    () => <CommentDetailView comment={comment} csrf={csrf} firstTimeMode={firstTimeMode} problem={problem} />,
    problem ? 422 : 200,
  );
}

admin.get("/comments/:id", (c) => renderDetail(c, c.req.param("id")));

/** The detail page again, with the text kept and the problem at its field, when an edit or reply text is refused. */
function renderTextProblem(c: Context<AppEnv>, id: string, field: "edit" | "reply", text: unknown, err: unknown) {
  if (err instanceof CommentTextError) return renderDetail(c, id, { field, problem: err.problem, text: String(text ?? "") });
  throw err;
}

admin.post("/comments/:id/edit", async (c) => {
  const id = c.req.param("id");
  const text = c.get("adminForm").comment;
  try {
    await editComment(commentPlatform(c), id, text);
  } catch (err) {
    return renderTextProblem(c, id, "edit", text, err);
  }
  return c.redirect(withDone(`/admin/comments/${id}`, 1), 303);
});

admin.post("/comments/:id/reply", async (c) => {
  const id = c.req.param("id");
  const text = c.get("adminForm").comment;
  let result: Awaited<ReturnType<typeof replyAsEditor>>;
  try {
    result = await replyAsEditor(commentPlatform(c), id, text, c.get("admin").editor);
  } catch (err) {
    return renderTextProblem(c, id, "reply", text, err);
  }
  return c.redirect(withDone(`/admin/comments/${result.id}`, 1), 303);
});

admin.post("/failed/:id/retry", async (c) => {
  await retryFailedMessage(commentPlatform(c), getCommentSettings(c.env), c.req.param("id"));
  return c.redirect("/admin?done=1", 303);
});

admin.post("/failed/:id/resolve", async (c) => {
  const done = await resolveFailedMessage(commentPlatform(c), c.req.param("id"));
  if (!done) throw new NotFoundError("no open failed message with this id");
  return c.redirect("/admin?done=1", 303);
});

export default admin;
