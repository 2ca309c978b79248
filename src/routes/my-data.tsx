// The "your data" page (MY_DATA_PATH): a commenter asks for a link by mail,
// and with it sees every comment stored under their address, downloads it as
// JSON, and erases it (src/comments/personal-data.ts). The link's GET only
// shows (mail scanners follow links); the download and the erasure are POSTs
// that carry the link's sealed token and pass hono/csrf. Every answer is one
// person's: never kept at the edge, never indexed.
import type { Context } from "hono";
import { csrf } from "hono/csrf";
import type { Child } from "hono/jsx";
import * as v from "valibot";
import { setPersonalCaching } from "../cache";
import { DATA_LINK_HOURS } from "../comments/data-link";
import { parseCommenterEmail } from "../comments/message";
import {
  erasePersonalData,
  exportPersonalData,
  listPersonalData,
  type OpenedDataLink,
  openDataLink,
  type PersonalDataKeys,
  requestDataLink,
} from "../comments/personal-data";
import { canMailCommenters } from "../comments/reader-mail";
import { getCommentSettings, getSiteSettings, MY_DATA_PATH } from "../config";
import type { AppEnv } from "../env";
import type { MessageKey } from "../i18n/messages";
import { Hono } from "../lib/hono";
import { validBody } from "../lib/request-body";
import { describeProblem } from "../views/comment-form";
import { MyDataErasedView, MyDataEraseView, MyDataLinkProblemView, MyDataListView, MyDataRequestView, MyDataSentView } from "../views/my-data";
import { answerError } from "./errors";
import { commentPlatform } from "./platform";
import { getPageTranslator, renderPage } from "./respond";

/** An address and a token fit easily; anything bigger is no request of ours (413). */
const MAX_BODY_BYTES = 4096;
const Fields = v.record(v.string(), v.unknown());
const formBody = validBody(Fields, { limit: MAX_BODY_BYTES, formats: ["form"] });

const LINK_PROBLEMS: Record<Exclude<OpenedDataLink["status"], "valid">, { status: 403 | 410; title: MessageKey; text: MessageKey }> = {
  invalid: { status: 403, title: "myDataLinkInvalidTitle", text: "myDataLinkInvalidText" },
  expired: { status: 410, title: "myDataLinkExpiredTitle", text: "myDataLinkExpiredText" },
  spent: { status: 410, title: "myDataLinkSpentTitle", text: "myDataLinkSpentText" },
};

const keysOf = (c: Context<AppEnv>): PersonalDataKeys => {
  const s = getCommentSettings(c.env);
  return { ipSalt: s.ipSalt, formSecret: s.formSecret };
};

/** A page of this area, in the reader's language and the site's register; personal and not indexed. */
function renderMyDataPage(c: Context<AppEnv>, title: MessageKey, body: () => Child, status: 200 | 403 | 410 | 422 | 429 | 503 = 200): Promise<Response> {
  setPersonalCaching(c);
  const lang = c.get("language");
  return renderPage(c, { lang, title: getPageTranslator(c, lang)(title), noindex: true }, body, status);
}

/** A parameter given twice has two readings: no link of ours has that, so it fails the check. */
const onlyValue = (values: string[] | undefined) => (values && values.length > 1 ? null : values?.[0]);

/** Opens the link's token (from the query or a form): the address, or the page that says why not. */
async function openLink(c: Context<AppEnv>, token: unknown): Promise<{ email: string; token: string } | Response> {
  setPersonalCaching(c);
  const link = await openDataLink(commentPlatform(c), keysOf(c), token);
  if (link.status === "valid") return link;
  const problem = LINK_PROBLEMS[link.status];
  const t = getPageTranslator(c, c.get("language"));
  return renderMyDataPage(
    c,
    problem.title,
    () => <MyDataLinkProblemView title={t(problem.title)} text={t(problem.text, { hours: DATA_LINK_HOURS })} />,
    problem.status,
  );
}

const myData = new Hono<AppEnv>();
myData.onError((err, c) => answerError(c, err, "html"));

myData.get(MY_DATA_PATH, (c) => renderMyDataPage(c, "myDataTitle", () => <MyDataRequestView email="" error={null} mailOff={!canMailCommenters(c.env)} />));

myData.post(MY_DATA_PATH, csrf(), formBody, async (c) => {
  setPersonalCaching(c);
  const fields = c.req.valid("form");
  const typed = typeof fields.email === "string" ? fields.email.slice(0, 200) : "";
  if (!canMailCommenters(c.env)) return renderMyDataPage(c, "myDataTitle", () => <MyDataRequestView email={typed} error={null} mailOff />, 503);
  const t = getPageTranslator(c, c.get("language"));
  const parsed = parseCommenterEmail(fields.email);
  if (!parsed.ok) {
    const error = `${t("myDataEmail")}: ${describeProblem(t, parsed.problem)}`;
    return renderMyDataPage(c, "myDataTitle", () => <MyDataRequestView email={typed} error={error} mailOff={false} />, 422);
  }
  const request = { email: parsed.email, ip: c.req.header("CF-Connecting-IP") ?? null, lang: c.get("language") };
  const result = await requestDataLink(commentPlatform(c), keysOf(c), request, (work) => c.executionCtx.waitUntil(work));
  if (result.kind === "throttled") {
    c.header("Retry-After", String(result.retryAfterSeconds));
    const error = t("myDataThrottled", { minutes: Math.ceil(result.retryAfterSeconds / 60) });
    return renderMyDataPage(c, "myDataTitle", () => <MyDataRequestView email={typed} error={error} mailOff={false} />, 429);
  }
  return renderMyDataPage(c, "myDataSentTitle", () => <MyDataSentView hours={DATA_LINK_HOURS} />);
});

myData.get(`${MY_DATA_PATH}/open`, async (c) => {
  const link = await openLink(c, onlyValue(c.req.queries("t")));
  if (link instanceof Response) return link;
  const data = await listPersonalData(commentPlatform(c), keysOf(c), link.email);
  return renderMyDataPage(c, "myDataListTitle", () => <MyDataListView email={link.email} token={link.token} comments={data.comments} />);
});

myData.post(`${MY_DATA_PATH}/export`, csrf(), formBody, async (c) => {
  const link = await openLink(c, c.req.valid("form").t);
  if (link instanceof Response) return link;
  const siteUrl = getSiteSettings(c.env).url;
  const data = await exportPersonalData(commentPlatform(c), keysOf(c), { email: link.email, siteUrl, via: "page" });
  c.header("Content-Disposition", 'attachment; filename="my-data.json"');
  return c.json(data);
});

myData.get(`${MY_DATA_PATH}/erase`, async (c) => {
  const link = await openLink(c, onlyValue(c.req.queries("t")));
  if (link instanceof Response) return link;
  const data = await listPersonalData(commentPlatform(c), keysOf(c), link.email);
  return renderMyDataPage(c, "myDataEraseTitle", () => <MyDataEraseView email={link.email} token={link.token} count={data.comments.length} />);
});

myData.post(`${MY_DATA_PATH}/erase`, csrf(), formBody, async (c) => {
  const fields = c.req.valid("form");
  const link = await openLink(c, fields.t);
  if (link instanceof Response) return link;
  const deleteComments = fields.delete_comments === "yes";
  const outcome = await erasePersonalData(commentPlatform(c), keysOf(c), { email: link.email, deleteComments, via: "page" });
  return renderMyDataPage(c, "myDataErasedTitle", () => (
    <MyDataErasedView count={outcome.comments} subscriptions={outcome.subscriptions} deleted={outcome.deleted} />
  ));
});

export default myData;
