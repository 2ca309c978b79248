// Miniflare's real send_email bindings (wrangler.toml's EMAIL, and
// TEST_EMAIL_VERIFIED_ONLY, which refuses all but VERIFIED_ADDRESSES) check
// and keep each mail; this wrapper passes every call through and remembers
// what was sent and what was refused, so tests can read subjects, bodies and headers.
import { env } from "cloudflare:test";

export type SentMail = EmailMessageBuilder;

export function recordingMailer(real: SendEmail = env.EMAIL): { binding: SendEmail; sent: SentMail[]; refused: SentMail[] } {
  const sent: SentMail[] = [];
  const refused: SentMail[] = [];
  const binding = {
    async send(builder: EmailMessageBuilder) {
      try {
        const result = await real.send(builder);
        sent.push(builder);
        return result;
      } catch (err) {
        refused.push(builder);
        throw err;
      }
    },
  } as SendEmail;
  return { binding, sent, refused };
}

export const MAIL_VARS = { EMAIL_FROM: "blog@example.com", MODERATION_EMAIL: "moderators@example.com" };

/** The first link in a mail's text to this path (e.g. "/comments/confirm"), or "". */
export function findMailLink(mail: SentMail | undefined, path: string): string {
  const match = new RegExp(`https?://\\S+${path.replace(/\//g, "\\/")}\\?\\S+`).exec(mail?.text ?? "");
  return match?.[0] ?? "";
}
