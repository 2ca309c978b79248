// Sending through Cloudflare Email Service's send_email binding (the EMAIL
// binding in wrangler.toml). Locally Miniflare's binding checks, keeps and logs
// each mail; deployed it needs a sending domain on the account.
import { escapeHtml } from "../lib/html";

export interface Mail {
  to: string;
  subject: string;
  /** Paragraphs; a line that is a URL becomes a link in the HTML part. */
  paragraphs: string[];
  /** The one-click unsubscribe URL (RFC 8058), when the mail is to a reader. */
  unsubscribeUrl?: string;
}

/** Header values must stay one line: a name or title cannot add headers. */
export function oneLine(text: string, max = 150): string {
  const flat = text.replace(/[\p{Cc}\p{Zl}\p{Zp}]+/gu, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function renderHtml(paragraphs: string[]): string {
  const html = paragraphs.map((p) => {
    const escaped = escapeHtml(p).replace(/\n/g, "<br>");
    return /^https?:\/\/\S+$/.test(p) ? `<p><a href="${escaped}">${escaped}</a></p>` : `<p>${escaped}</p>`;
  });
  return `<!doctype html><html><body>${html.join("\n")}</body></html>`;
}

/** Sends one mail as text and HTML; throws when the binding refuses it (the caller retries). */
export async function sendMail(binding: SendEmail, from: string, mail: Mail): Promise<void> {
  const headers: Record<string, string> = mail.unsubscribeUrl
    ? { "List-Unsubscribe": `<${mail.unsubscribeUrl}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" }
    : {};
  await binding.send({
    from,
    to: mail.to,
    subject: oneLine(mail.subject),
    text: mail.paragraphs.join("\n\n"),
    html: renderHtml(mail.paragraphs),
    headers,
  });
}
