// Miniflare's real send_email binding (wrangler.toml's EMAIL) checks and keeps
// each mail; this wrapper passes every call through to it and remembers what
// was sent, so tests can read subjects, bodies and headers.
import { env } from "cloudflare:test";

export type SentMail = EmailMessageBuilder;

export function recordingMailer(): { binding: SendEmail; sent: SentMail[] } {
  const sent: SentMail[] = [];
  const binding = {
    async send(builder: EmailMessageBuilder) {
      const result = await env.EMAIL.send(builder);
      sent.push(builder);
      return result;
    },
  } as SendEmail;
  return { binding, sent };
}

export const MAIL_VARS = { EMAIL_FROM: "blog@example.com", MODERATION_EMAIL: "moderators@example.com" };
