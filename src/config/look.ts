// The site's look as settings: the accent colour, the logo and the
// footer text, plus the development-only reload URL that `npm run dev` sets.
import * as v from "valibot";
import { got, text } from "./parse";

const HEX_COLOR = /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i;
/** A path of a file under content/, served as a static asset: /media/logo.svg. */
const CONTENT_PATH = /^\/(?!\/)[A-Za-z0-9._~\-/]+$/;

export const lookSchema = {
  SITE_ACCENT_COLOR: v.pipe(
    text(),
    v.check(
      (s) => s === "" || HEX_COLOR.test(s),
      (i) => `wrangler var SITE_ACCENT_COLOR must be a hex colour such as "#0a7" or "#00aa77", or empty, ${got(i)}`,
    ),
  ),
  SITE_LOGO: v.pipe(
    text(),
    v.check(
      (s) => s === "" || (CONTENT_PATH.test(s) && !s.split("/").includes("..")),
      (i) => `wrangler var SITE_LOGO must be the path of a file under content/ such as "/media/logo.svg", or empty, ${got(i)}`,
    ),
  ),
  SITE_FOOTER_TEXT: v.pipe(
    text(),
    v.maxLength(500, (i) => `wrangler var SITE_FOOTER_TEXT must be at most 500 characters, got ${String(i.input).length}`),
  ),
  DEV_RELOAD_URL: v.pipe(
    text(),
    v.check(
      (s) => s === "" || /^http:\/\/(localhost|127\.0\.0\.1):\d+\/[^\s]*$/.test(s),
      (i) => `wrangler var DEV_RELOAD_URL must be empty (it is set by npm run dev only), ${got(i)}`,
    ),
  ),
};

export interface LookSettings {
  /** "#rrggbb" or "#rgb", or null for the stylesheet's own. */
  accentColor: string | null;
  /** Path of the logo under content/, or null: the header then shows the title alone. */
  logo: string | null;
  footerText: string | null;
  /** Set by `npm run dev` only: where the reload script listens. */
  devReloadUrl: string | null;
}

export function readLook(s: v.InferOutput<v.ObjectSchema<typeof lookSchema, undefined>>): LookSettings {
  return {
    accentColor: s.SITE_ACCENT_COLOR.toLowerCase() || null,
    logo: s.SITE_LOGO || null,
    footerText: s.SITE_FOOTER_TEXT || null,
    devReloadUrl: s.DEV_RELOAD_URL || null,
  };
}
