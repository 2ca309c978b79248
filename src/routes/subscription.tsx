// The signed links in commenters' mail (src/comments/mail-links.ts): confirm a
// subscription, unsubscribe. They work without logging in. A GET only shows a
// button and changes nothing (mail scanners follow links); the POST does it
// (also the one-click POST of RFC 8058, which mail clients send with the
// link's query and no origin). An expired link says how to go on, 410; a
// changed one is refused, 403.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import { setPersonalCaching } from "../cache";
import { checkMailLink, MAIL_LINK_DAYS, type MailLinkCheck, type MailLinkPurpose } from "../comments/mail-links";
import { unsubscribeComment } from "../comments/reader-mail-queries";
import { confirmNotifications } from "../comments/service";
import { getCommentSettings } from "../config";
import type { AppEnv } from "../env";
import type { Translate } from "../i18n";
import type { MessageKey } from "../i18n/messages";
import { Hono } from "../lib/hono";
import { ErrorView } from "../views/error-page";
import { ConfirmedView, ConfirmView, UnsubscribeConfirmView, UnsubscribedView } from "../views/subscription";
import { writerDb } from "./db";
import { commentPlatform } from "./platform";
import { getPageTranslator, renderErrorPage, renderPage } from "./respond";

const EXPIRED: Record<MailLinkPurpose, [MessageKey, MessageKey]> = {
  confirm: ["confirmExpiredTitle", "confirmExpiredText"],
  unsubscribe: ["unsubscribeExpiredTitle", "unsubscribeExpiredText"],
};

/** The link's check; every answer about it is one person's, never kept at the edge. */
function checkLink(c: Context<AppEnv>, purpose: MailLinkPurpose): Promise<MailLinkCheck> {
  setPersonalCaching(c);
  // A parameter given twice has two readings: no link of ours has that, so it fails the check.
  const query = Object.fromEntries(["c", "e", "sig"].map((name) => [name, onlyValue(c.req.queries(name))]));
  return checkMailLink(getCommentSettings(c.env).formSecret, purpose, query, Date.now());
}

const onlyValue = (values: string[] | undefined) => (values && values.length > 1 ? null : values?.[0]);

/** A page of this area: its title, not indexed. */
function renderLinkPage(c: Context<AppEnv>, title: MessageKey, body: (t: Translate) => Child, status: 200 | 404 | 410 = 200): Promise<Response> {
  const lang = c.get("language");
  return renderPage(c, { lang, title: getPageTranslator(c, lang)(title), noindex: true }, body, status);
}

/** The page for a link that is not valid: expired (ours, too old: how to go on) or refused (changed, incomplete). */
function refuseLink(c: Context<AppEnv>, purpose: MailLinkPurpose, check: Exclude<MailLinkCheck, { status: "valid" }>): Promise<Response> {
  if (check.status === "invalid") return renderErrorPage(c, 403, "mailLinkInvalidTitle", "mailLinkInvalidText");
  const [title, text] = EXPIRED[purpose];
  return renderLinkPage(c, title, (t) => <ErrorView title={t(title)} text={t(text, { days: MAIL_LINK_DAYS[purpose] })} />, 410);
}

const subscription = new Hono<AppEnv>();

subscription.get("/comments/unsubscribe", async (c) => {
  const link = await checkLink(c, "unsubscribe");
  if (link.status !== "valid") return refuseLink(c, "unsubscribe", link);
  return renderLinkPage(c, "unsubscribeTitle", () => <UnsubscribeConfirmView action={link.path} />);
});

subscription.post("/comments/unsubscribe", async (c) => {
  const link = await checkLink(c, "unsubscribe");
  if (link.status !== "valid") return refuseLink(c, "unsubscribe", link);
  await unsubscribeComment(writerDb(c), link.id);
  return renderLinkPage(c, "unsubscribedTitle", () => <UnsubscribedView />);
});

subscription.get("/comments/confirm", async (c) => {
  const link = await checkLink(c, "confirm");
  if (link.status !== "valid") return refuseLink(c, "confirm", link);
  return renderLinkPage(c, "confirmTitle", () => <ConfirmView action={link.path} />);
});

subscription.post("/comments/confirm", async (c) => {
  const link = await checkLink(c, "confirm");
  if (link.status !== "valid") return refuseLink(c, "confirm", link);
  // An approval that came before the confirmation is told now.
  if (!(await confirmNotifications(commentPlatform(c), link.id))) {
    return renderLinkPage(c, "confirmGoneTitle", (t) => <ErrorView title={t("confirmGoneTitle")} text={t("confirmGoneText")} />, 404);
  }
  return renderLinkPage(c, "confirmedTitle", () => <ConfirmedView />);
});

export default subscription;
