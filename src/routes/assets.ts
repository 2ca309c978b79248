// /assets/<name>.<hash>.<ext>: the stylesheet, the scripts (src/assets/) and the accent colour's theme.

import { getAsset } from "../assets";
import { getThemePath, renderThemeCss } from "../assets/theme";
import { setImmutableCaching, setRevalidatedCaching } from "../cache";
import type { AppEnv } from "../env";
import { Hono } from "../lib/hono";
import { renderErrorPage, sendWithEtag } from "./respond";

const assets = new Hono<AppEnv>();

assets.get("/assets/:file", (c) => {
  // The theme is made from a var, so its one valid name follows SITE_ACCENT_COLOR.
  const accent = c.get("site").accentColor;
  if (accent && c.req.path === getThemePath(accent)) {
    setImmutableCaching(c);
    return sendWithEtag(c, renderThemeCss(accent), "text/css; charset=utf-8");
  }
  const asset = getAsset(c.req.param("file"), c.get("site").devReloadUrl !== null);
  if (!asset) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  if (asset.immutable) setImmutableCaching(c);
  else setRevalidatedCaching(c);
  return sendWithEtag(c, asset.body, asset.type);
});

export default assets;
