// The one place that reads Env (vars and secrets). Placeholder while issue 9's
// config schema is written: it re-exports the old per-area readers.
export { type AdminSettings, getAdminSettings } from "./admin/settings";
export { type CommentSettings, getCommentSettings, MODERATION_MODES, type ModerationMode, parseWordList, RATE_WINDOW_SECONDS } from "./comments/settings";
export { getSiteSettings, parseSiteSettings, type SiteSettings } from "./settings";
