// The site's own files for the browser: the stylesheet and the comment form's
// script. They are bundled into the Worker as text ([[rules]] in
// wrangler.toml) rather than served from [assets], which already serves
// content/ and would need a build step before every `wrangler dev`, test run
// and deploy. Their URLs carry a hash of their bytes, so a page always links
// the version it was made with and browsers keep each file for a year.
/// <reference path="./text-modules.d.ts" />
import { fnv1a } from "../lib/fnv";
import adminDeskScript from "./admin-desk.js";
import commentFormScript from "./comment-form.js";
import devReloadScript from "./dev-reload.js";
import embedsScript from "./embeds.js";
import stylesheet from "./site.css";

interface AssetSource {
  /** The file name before the hash, e.g. "site" for /assets/site.<hash>.css. */
  stem: string;
  extension: string;
  /** The unhashed path older pages linked with ?v=; still answered, revalidated each time. */
  legacyName: string;
  type: string;
  body: string;
  /** Served only while DEV_RELOAD_URL is set (npm run dev). */
  devOnly?: true;
}

const SOURCES = {
  stylesheet: { stem: "site", extension: "css", legacyName: "style.css", type: "text/css; charset=utf-8", body: stylesheet },
  commentForm: { stem: "comment-form", extension: "js", legacyName: "comment-form.js", type: "text/javascript; charset=utf-8", body: commentFormScript },
  embeds: { stem: "embeds", extension: "js", legacyName: "embeds.js", type: "text/javascript; charset=utf-8", body: embedsScript },
  adminDesk: { stem: "admin-desk", extension: "js", legacyName: "admin-desk.js", type: "text/javascript; charset=utf-8", body: adminDeskScript },
  // Linked and served only when DEV_RELOAD_URL is set (npm run dev): a deployed blog has no dev server to listen to.
  devReload: {
    stem: "dev-reload",
    extension: "js",
    legacyName: "dev-reload.js",
    type: "text/javascript; charset=utf-8",
    body: devReloadScript,
    devOnly: true,
  },
} satisfies Record<string, AssetSource>;

export type AssetName = keyof typeof SOURCES;

export interface Asset {
  body: string;
  type: string;
  /** Whether the name carries the content's hash (then it may be cached for good). */
  immutable: boolean;
  devOnly: boolean;
}

// Hashed once per isolate, on first use: module scope would run on every cold start, even for feeds.
let byFileName: Map<string, Asset> | null = null;
const hashedNames = new Map<AssetName, string>();

function getHashedName(name: AssetName): string {
  let fileName = hashedNames.get(name);
  if (!fileName) {
    const source = SOURCES[name];
    fileName = `${source.stem}.${fnv1a(source.body)}.${source.extension}`;
    hashedNames.set(name, fileName);
  }
  return fileName;
}

/** The URL path of an asset's current version, e.g. /assets/site.1x2y3z.css. */
export function getAssetPath(name: AssetName): string {
  return `/assets/${getHashedName(name)}`;
}

/** The asset a file name under /assets/ stands for, or null; dev-only ones only when `dev` (DEV_RELOAD_URL is set). */
export function getAsset(fileName: string, dev: boolean): Asset | null {
  if (!byFileName) {
    byFileName = new Map();
    for (const name of Object.keys(SOURCES) as AssetName[]) {
      const source: AssetSource = SOURCES[name];
      const { body, type, legacyName } = source;
      const devOnly = source.devOnly === true;
      byFileName.set(getHashedName(name), { body, type, immutable: true, devOnly });
      byFileName.set(legacyName, { body, type, immutable: false, devOnly });
    }
  }
  const asset = byFileName.get(fileName) ?? null;
  return asset && (!asset.devOnly || dev) ? asset : null;
}
