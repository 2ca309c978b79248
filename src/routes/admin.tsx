// The moderation pages under /admin (session cookie), and the API mount.
import { type Context, Hono } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import type { Child } from "hono/jsx";
import { checkBearer, createSession, csrfTokenFor, SESSION_COOKIE, SESSION_TTL_MS } from "../admin/session";
import {
  CommentTextError,
  editCommentText,
  MODERATION_ACTIONS,
  moderateComments,
  parseModerationAction,
  replyAsEditor,
  retryFailedMessage,
} from "../comments/moderation";
import { countCommentsByStatus, getCommentForAdmin, listCommentsForAdmin, listOpenFailedMessages, resolveFailedMessage } from "../comments/moderation-queries";
import { getCommentSettings } from "../config";
import { parseCommentStatus } from "../db/schema";
import type { AppEnv } from "../env";
import { getTranslator, type Translate } from "../i18n";
import { wantsSecureCookies } from "../lib/cookies";
import { InvalidInputError, NotFoundError } from "../lib/errors";
import { readRequestBody } from "../lib/request-body";
import { SLUG_PATTERN } from "../lib/slug";
import { CommentDetailView } from "../views/admin/comment-detail";
import { DashboardView } from "../views/admin/dashboard";
import adminApi from "./admin-api";
import { decodeCursor, encodeCursor, PAGE_LIMIT } from "./admin-cursor";
import { guardAdmin, isSameOrigin, requireCsrf, requireSession } from "./admin-guard";
import { adminLang, renderLogin } from "./admin-login";
import { writerDb } from "./db";
import { purgeCommentPages } from "./refresh";
import { renderPage } from "./respond";

const admin = new Hono<AppEnv>();
admin.use(guardAdmin);
admin.route("/api", adminApi);

function renderAdmin(c: Context<AppEnv>, title: string, body: (t: Translate) => Child, status: 200 | 401 | 404 | 422 = 200) {
  return renderPage(c, { lang: adminLang(c), title }, body, status);
}

/** A path inside the admin to go back to, or /admin. */
function safeReturn(value: string | undefined): string {
  return value?.startsWith("/admin") && !value.startsWith("//") && !/[\r\n\\]/.test(value) ? value : "/admin";
}

admin.get("/login", (c) => renderLogin(c, false, 200));

admin.post("/login", async (c) => {
  if (!isSameOrigin(c)) return c.json({ error: "cross-site request refused" }, 403);
  const body = await readRequestBody(c.req.raw, 16 * 1024);
  const token = body.ok ? body.fields.token : undefined;
  if (typeof token !== "string" || !checkBearer(`Bearer ${token}`, c.get("admin").token)) {
    return renderLogin(c, true, 401);
  }
  const session = await createSession(c.get("admin").token, Date.now());
  setCookie(c, SESSION_COOKIE, session, {
    path: "/admin",
    httpOnly: true,
    sameSite: "Strict",
    secure: wantsSecureCookies(c.req.url),
    maxAge: SESSION_TTL_MS / 1000,
  });
  return c.redirect("/admin", 303);
});

admin.use("*", requireSession);
admin.post("*", requireCsrf);

admin.post("/logout", (c) => {
  deleteCookie(c, SESSION_COOKIE, { path: "/admin", secure: wantsSecureCookies(c.req.url) });
  return c.redirect("/admin/login", 303);
});

admin.get("/", async (c) => {
  const db = writerDb(c);
  const statusParam = c.req.query("status") ?? "pending";
  const status = statusParam === "all" ? null : (parseCommentStatus(statusParam) ?? "pending");
  const article = c.req.query("article")?.trim() || null;
  const cursor = decodeCursor(c.req.query("cursor") ?? "") ?? undefined;
  const [rows, counts, failed, csrf] = await Promise.all([
    listCommentsForAdmin(db, {
      status: status ?? undefined,
      articleSlug: article && SLUG_PATTERN.test(article) ? article : undefined,
      cursor,
      limit: PAGE_LIMIT + 1,
    }),
    countCommentsByStatus(db),
    listOpenFailedMessages(db),
    csrfTokenFor(c.get("admin").token, c.get("session")),
  ]);
  const params = new URLSearchParams({ status: status ?? "all", ...(article ? { article } : {}) });
  const last = rows[PAGE_LIMIT - 1];
  const done = c.req.query("done");
  const t = getTranslator(adminLang(c));
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
        csrf,
        firstTimeMode: getCommentSettings(c.env).moderation === "first_time",
        notice: done === undefined ? null : done === "0" ? tr("adminNothingSelected") : tr("adminDone", { n: done }),
        returnTo: `/admin?${params}${cursor ? `&cursor=${c.req.query("cursor")}` : ""}`,
      }}
    />
  ));
});

function withDone(path: string, n: number): string {
  return `${path}${path.includes("?") ? "&" : "?"}done=${n}`;
}

admin.post("/comments/bulk", async (c) => {
  const form = c.get("adminForm");
  const action = parseModerationAction(form.action);
  if (!action) return c.json({ error: `action must be one of ${MODERATION_ACTIONS.join(", ")}` }, 422);
  const ids = (Array.isArray(form.id) ? form.id : []).filter((id): id is string => typeof id === "string");
  await purgeCommentPages(c, (await moderateComments(writerDb(c), ids, action, Date.now())).articleIds);
  return c.redirect(withDone(safeReturn(c.req.query("return")), ids.length), 303);
});

admin.post("/comments/:id/:action{approve|unapprove|spam|trash|restore|delete}", async (c) => {
  const db = writerDb(c);
  const id = c.req.param("id");
  if (!(await getCommentForAdmin(db, id))) return c.json({ error: "no comment with this id" }, 404);
  const action = parseModerationAction(c.req.param("action"));
  if (!action) return c.json({ error: `action must be one of ${MODERATION_ACTIONS.join(", ")}` }, 404);
  await purgeCommentPages(c, (await moderateComments(db, [id], action, Date.now())).articleIds);
  return c.redirect(withDone(safeReturn(c.req.query("return")), 1), 303);
});

async function renderDetail(c: Context<AppEnv>, id: string, problem?: Parameters<typeof CommentDetailView>[0]["problem"]) {
  const comment = await getCommentForAdmin(writerDb(c), id);
  const t = getTranslator(adminLang(c));
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

admin.post("/comments/:id/edit", async (c) => {
  const id = c.req.param("id");
  const text = c.get("adminForm").comment;
  try {
    await purgeCommentPages(c, (await editCommentText(writerDb(c), id, text)).articleIds);
  } catch (err) {
    if (err instanceof CommentTextError) return renderDetail(c, id, { field: "edit", problem: err.problem, text: String(text ?? "") });
    if (err instanceof NotFoundError) return renderDetail(c, id);
    throw err;
  }
  return c.redirect(withDone(`/admin/comments/${id}`, 1), 303);
});

admin.post("/comments/:id/reply", async (c) => {
  const id = c.req.param("id");
  const text = c.get("adminForm").comment;
  let result: Awaited<ReturnType<typeof replyAsEditor>>;
  try {
    result = await replyAsEditor(writerDb(c), id, text, c.get("admin").editor, Date.now());
  } catch (err) {
    if (err instanceof CommentTextError) return renderDetail(c, id, { field: "reply", problem: err.problem, text: String(text ?? "") });
    if (err instanceof NotFoundError) return renderDetail(c, id);
    throw err;
  }
  await purgeCommentPages(c, result.articleIds);
  return c.redirect(withDone(`/admin/comments/${result.id}`, 1), 303);
});

admin.post("/failed/:id/retry", async (c) => {
  try {
    const outcome = await retryFailedMessage(writerDb(c), getCommentSettings(c.env), c.req.param("id"), Date.now());
    await purgeCommentPages(c, outcome.articleIds);
  } catch (err) {
    if (err instanceof NotFoundError) return c.json({ error: err.message }, 404);
    if (err instanceof InvalidInputError) return c.json({ error: err.message }, 422);
    throw err;
  }
  return c.redirect("/admin?done=1", 303);
});

admin.post("/failed/:id/resolve", async (c) => {
  const done = await resolveFailedMessage(writerDb(c), c.req.param("id"), Date.now());
  return done ? c.redirect("/admin?done=1", 303) : c.json({ error: "no open failed message with this id" }, 404);
});

export default admin;
