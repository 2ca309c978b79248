import type { Context } from "hono";
import type { AppEnv } from "../env";
import { EDITOR_ADDRESS, getTranslator } from "../i18n";
import { LoginView } from "../views/admin/login";
import { renderPage } from "./respond";

/** The admin speaks the browser's language (German or English). */
export function adminLang(c: Context<AppEnv>) {
  return c.get("language");
}

/** The login form; 401 when it answers a request that needed a session or a wrong token. */
export function renderLogin(c: Context<AppEnv>, failed: boolean, status: 200 | 401): Promise<Response> {
  const lang = adminLang(c);
  c.header("Cache-Control", "no-store");
  return renderPage(c, { lang, title: getTranslator(lang, EDITOR_ADDRESS)("adminLogin") }, () => <LoginView failed={failed} />, status);
}
