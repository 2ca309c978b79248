// /assets/<name>.<hash>.<ext>: the stylesheet and the comment form's script (src/assets/).
import { Hono } from "hono";
import { getAsset } from "../assets";
import { setImmutableCaching, setRevalidatedCaching } from "../cache";
import type { AppEnv } from "../env";
import { renderErrorPage, sendWithEtag } from "./respond";

const assets = new Hono<AppEnv>();

assets.get("/assets/:file", (c) => {
  const asset = getAsset(c.req.param("file"));
  if (!asset) return renderErrorPage(c, 404, "notFoundTitle", "notFoundText");
  if (asset.immutable) setImmutableCaching(c);
  else setRevalidatedCaching(c);
  return sendWithEtag(c, asset.body, asset.type);
});

export default assets;
