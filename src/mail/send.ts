// Sending through Cloudflare Email Service's send_email binding (the EMAIL
// binding in wrangler.toml). Locally Miniflare's binding checks, keeps and logs
// each mail; deployed it needs a sending domain on the account.
import { escapeHtml } from "../lib/html";

/**
 * A paragraph: text, which the HTML part escapes and never links, or a link
 * this site made. Only the sender says what is a link: text that merely looks
 * like a URL (a commenter's) stays text.
 */
export type MailPart = string | { link: string };

export interface Mail {
  to: string;
  subject: string;
  paragraphs: MailPart[];
  /** The one-click unsubscribe URL (RFC 8058), when the mail is to a reader. */
  unsubscribeUrl?: string;
}

/** Header values must stay one line: a name or title cannot add headers. */
function oneLine(text: string, max = 150): string {
  const flat = text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

const partText = (part: MailPart) => (typeof part === "string" ? part : part.link);

function renderHtml(paragraphs: MailPart[]): string {
  const html = paragraphs.map((part) => {
    const escaped = escapeHtml(partText(part));
    return typeof part === "string" ? `<p>${escaped.replace(/\n/g, "<br>")}</p>` : `<p><a href="${escaped}">${escaped}</a></p>`;
  });
  return `<!doctype html><html><body>${html.join("\n")}</body></html>`;
}

/** Sends one mail as text and HTML; throws when the binding refuses it. */
export async function sendMail(binding: SendEmail, from: string, mail: Mail): Promise<void> {
  const headers: Record<string, string> = mail.unsubscribeUrl
    ? { "List-Unsubscribe": `<${mail.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
    : {};
  await binding.send({
    from,
    to: mail.to,
    subject: oneLine(mail.subject),
    text: mail.paragraphs.map(partText).join("\n\n"),
    html: renderHtml(mail.paragraphs),
    headers,
  });
}
