// /preview/<id>?sig=…: a shared draft (npm run preview). One person's page:
// never cached at the edge, never indexed, and not linked from anywhere.

import { setPersonalCaching } from "../cache";
import { getPreviewSettings } from "../config";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { openPreview } from "../previews/open";
import { ErrorView } from "../views/error-page";
import { PreviewView } from "../views/preview";
import { writerDb } from "./db";
import { getPageTranslator, renderPage } from "./respond";

const preview = new Hono<AppEnv>();

preview.get("/preview/:id", async (c) => {
  c.header("X-Robots-Tag", "noindex, nofollow");
  setPersonalCaching(c);
  // The primary: a link is opened right after the CLI wrote it, before replicas may have it.
  const db = writerDb(c);
  const { secret } = getPreviewSettings(c.env);
  const result = await openPreview(db, { id: c.req.param("id"), sig: c.req.query("sig"), secret, now: Date.now() });
  if (result.status !== "open") {
    // Not renderErrorPage: it lets the edge keep a 404 for a minute, and a preview's answer is one person's.
    const lang = c.get("language");
    const t = getPageTranslator(c, lang);
    const [title, text] =
      result.status === "expired" ? (["previewExpiredTitle", "previewExpiredText"] as const) : (["previewNotFoundTitle", "previewNotFoundText"] as const);
    return renderPage(
      c,
      { lang, title: t(title), noindex: true },
      () => <ErrorView title={t(title)} text={t(text)} />,
      result.status === "expired" ? 410 : 404,
    );
  }
  const { preview: draft } = result;
  return renderPage(c, { lang: draft.lang, title: draft.title, noindex: true }, () => <PreviewView preview={draft} />);
});

export default preview;
