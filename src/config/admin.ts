// The admin's concern of Env: its token, Cloudflare Access and the editor's
// identity. Nothing in the comment pipeline reads this.
import * as v from "valibot";
import { type AccessConfig, getAccessConfig } from "../admin/access";
import { type EditorIdentity, editorEntries, readEditorIdentity } from "./editor";
import { cached, type Input, parseConcern, text } from "./parse";

/** Below this length ADMIN_TOKEN is refused: the admin stays closed. */
const MIN_ADMIN_TOKEN_LENGTH = 16;
/** Below this length ADMIN_TOKEN works but is named in the log as weak. */
const WEAK_ADMIN_TOKEN_LENGTH = 32;

export interface AdminSettings {
  /** Null when ADMIN_TOKEN is not set: the admin is then closed. */
  token: string | null;
  access: AccessConfig | null;
  editor: EditorIdentity;
}

const adminSchema = v.object({
  ADMIN_TOKEN: v.pipe(
    text(),
    v.check(
      (s) => s === "" || s.length >= MIN_ADMIN_TOKEN_LENGTH,
      `secret ADMIN_TOKEN must be at least ${MIN_ADMIN_TOKEN_LENGTH} characters (better ${WEAK_ADMIN_TOKEN_LENGTH} or more: openssl rand -base64 32); the admin stays closed until it is`,
    ),
  ),
  ACCESS_TEAM_DOMAIN: text(),
  ACCESS_AUD: text(),
  ...editorEntries,
});

/** The admin's settings from vars and secrets; a malformed value throws a ConfigError naming it. */
export function getAdminSettings(env: object): AdminSettings {
  return cached(env, "admin", () => {
    const s = parseConcern(adminSchema, env as Input);
    return {
      token: s.ADMIN_TOKEN === "" ? null : s.ADMIN_TOKEN,
      access: getAccessConfig(s),
      editor: readEditorIdentity(s),
    };
  });
}

const warned = new WeakSet<object>();

/**
 * Names a weak ADMIN_TOKEN in the log, once per isolate. Never throws and
 * never prints the token: a short token closes the admin, nothing else.
 */
export function warnWeakAdminToken(env: { ADMIN_TOKEN?: string }): void {
  // The platform hands every request of an isolate the same env object.
  if (warned.has(env)) return;
  warned.add(env);
  const length = typeof env.ADMIN_TOKEN === "string" ? env.ADMIN_TOKEN.trim().length : 0;
  if (length > 0 && length < WEAK_ADMIN_TOKEN_LENGTH) {
    console.warn(
      `secret ADMIN_TOKEN is weak (${length} characters, use at least ${WEAK_ADMIN_TOKEN_LENGTH}): make one with \`openssl rand -base64 32\` and set it with \`wrangler secret put ADMIN_TOKEN\``,
    );
  }
}
