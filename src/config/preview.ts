// The secret that signs preview links (npm run preview). A concern of its own:
// without it previews are off (every link is a 404), and nothing else breaks.
import * as v from "valibot";
import { cached, type Input, parseConcern } from "./parse";

const previewSchema = v.object({
  PREVIEW_SECRET: v.pipe(
    v.optional(v.string(), ""),
    v.check((s) => s === "" || s.length >= 16, "secret PREVIEW_SECRET must be at least 16 characters (or unset, which turns previews off)"),
  ),
});

export interface PreviewSettings {
  /** Signs and checks preview links; null: previews are off. */
  secret: string | null;
}

/** Reads PREVIEW_SECRET; a short one throws a ConfigError naming it. */
export function getPreviewSettings(env: object): PreviewSettings {
  return cached(env, "preview", () => ({ secret: parseConcern(previewSchema, env as Input).PREVIEW_SECRET || null }));
}
