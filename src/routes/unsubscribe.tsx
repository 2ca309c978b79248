// The unsubscribe link in commenters' mail: works without logging in because
// it is signed. GET shows a button, POST unsubscribes (also the one-click POST
// of RFC 8058, which mail clients send with the link's query and no origin).
import type { Context } from "hono";
import * as v from "valibot";
import { setPersonalCaching } from "../cache";
import { COMMENT_ID_PATTERN } from "../comments/message";
import { verifyUnsubscribe } from "../comments/reader-mail";
import { unsubscribeComment } from "../comments/reader-mail-queries";
import { getCommentSettings } from "../config";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { UnsubscribeConfirmView, UnsubscribedView } from "../views/unsubscribe";
import { writerDb } from "./db";
import { renderErrorPage, renderPage } from "./respond";

const UnsubscribeQuery = v.object({
  c: v.pipe(v.string(), v.regex(COMMENT_ID_PATTERN)),
  sig: v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{43}$/)),
});

/** The checked link parameters, or null when they are missing, malformed or not signed by us. */
async function getSignedComment(c: Context<AppEnv>): Promise<{ id: string; sig: string } | null> {
  const parsed = v.safeParse(UnsubscribeQuery, { c: c.req.query("c"), sig: c.req.query("sig") });
  if (!parsed.success) return null;
  const valid = await verifyUnsubscribe(getCommentSettings(c.env).formSecret, parsed.output.c, parsed.output.sig);
  return valid ? { id: parsed.output.c, sig: parsed.output.sig } : null;
}

const refuse = (c: Context<AppEnv>) => renderErrorPage(c, 403, "unsubscribeInvalidTitle", "unsubscribeInvalidText");

const unsubscribe = new Hono<AppEnv>();

unsubscribe.get("/comments/unsubscribe", async (c) => {
  setPersonalCaching(c);
  const signed = await getSignedComment(c);
  if (!signed) return refuse(c);
  const action = `/comments/unsubscribe?c=${signed.id}&sig=${signed.sig}`;
  const lang = c.get("language");
  return renderPage(c, { lang }, () => <UnsubscribeConfirmView action={action} />);
});

unsubscribe.post("/comments/unsubscribe", async (c) => {
  setPersonalCaching(c);
  const signed = await getSignedComment(c);
  if (!signed) return refuse(c);
  await unsubscribeComment(writerDb(c), signed.id);
  return renderPage(c, { lang: c.get("language") }, () => <UnsubscribedView />);
});

export default unsubscribe;
