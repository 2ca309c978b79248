// The privacy page's processing section, written from the settings in force.
// A privacy page (role: privacy) marks where it goes with the line
//   <!-- blog:processing -->
// and the Worker puts the section there on every render, in the page's
// language and the site's form of address, so it changes when a setting does:
// how long IP hashes and spam are kept, whether mails are sent and by whom,
// whether held comments are reported to a webhook, and where a commenter sees
// and erases their data.
import { getCommentSettings, getMailSettings, getRetentionSettings, getSiteSettings } from "../config";
import type { Language } from "../db/schema";
import type { FormOfAddress } from "../i18n";
import { escapeHtml } from "../lib/html";

/** The line a privacy page carries where the generated section belongs (marked passes it through as is). */
export const PROCESSING_MARKER = "<!-- blog:processing -->";

/** The settings the section states. */
interface ProcessingFacts {
  ipHashDays: number;
  /** Spam and trash are deleted after this many days; 0: kept until deleted by hand. */
  expireDays: number;
  /** The sender address of the blog's mails; null: the blog sends no mail. */
  mailFrom: string | null;
  /** Whether held comments are mailed to the editors. */
  moderatorMail: boolean;
  /** The host held comments are reported to, or null. */
  webhookHost: string | null;
  /** "all": every comment is checked before it appears; "first_time": only a first comment. */
  moderation: "all" | "first_time";
  /** Where a commenter sees, downloads and erases their data; null while the blog has no such page. */
  ownDataPath: string | null;
}

/** The facts as the Worker's configuration gives them; comment settings that do not parse fall back to the strictest reading. */
function readProcessingFacts(env: object, ownDataPath: string | null): ProcessingFacts {
  const retention = getRetentionSettings(env);
  const mail = getMailSettings(env);
  let moderation: ProcessingFacts["moderation"] = "all";
  let webhookHost: string | null = null;
  try {
    const comments = getCommentSettings(env);
    moderation = comments.moderation;
    webhookHost = comments.webhookUrl ? new URL(comments.webhookUrl).host : null;
  } catch {
    // A missing secret stops the comment form, not the privacy page: state the strictest case.
  }
  return {
    ipHashDays: retention.ipHashDays,
    expireDays: retention.expireDays,
    mailFrom: mail.from,
    moderatorMail: mail.moderators !== null,
    webhookHost,
    moderation,
    ownDataPath,
  };
}

interface Section {
  title: string;
  paragraphs: string[];
}

type Writer = (f: ProcessingFacts, e: (s: string) => string) => Section[];

const days = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);

const germanInformal: Writer = (f, e) => [
  {
    title: "Hosting",
    paragraphs: [
      "Dieses Blog läuft auf Cloudflare Workers; Seiten, Kommentare und Einstellungen liegen in einer Cloudflare-D1-Datenbank. Cloudflare, Inc. (USA) verarbeitet dafür als Auftragsverarbeiter technisch notwendige Daten wie deine IP-Adresse, den Zeitpunkt und die angeforderte Adresse.",
    ],
  },
  {
    title: "Kommentare",
    paragraphs: [
      "Wenn du einen Kommentar schreibst, speichern wir deinen Namen, deine E-Mail-Adresse, auf Wunsch deine Website, den Text und den Zeitpunkt. Die E-Mail-Adresse wird nie veröffentlicht.",
      f.moderation === "all"
        ? "Jeder Kommentar wird vor der Veröffentlichung von der Redaktion geprüft; erst dann erscheinen Name, Website und Text unter dem Artikel."
        : "Dein erster Kommentar wird vor der Veröffentlichung von der Redaktion geprüft; spätere Kommentare mit derselben E-Mail-Adresse erscheinen sofort mit Name, Website und Text unter dem Artikel.",
      `Zum Schutz vor Missbrauch und Spam speichern wir von deiner IP-Adresse nur einen gesalzenen Hashwert und dazu die Kennung deines Browsers (User-Agent); beides löschen wir nach ${days(f.ipHashDays, "Tag", "Tagen")}.`,
      f.expireDays > 0
        ? `Als Spam erkannte und in den Papierkorb gelegte Kommentare werden nach ${days(f.expireDays, "Tag", "Tagen")} endgültig gelöscht.`
        : "Als Spam erkannte und in den Papierkorb gelegte Kommentare bleiben gespeichert, bis die Redaktion sie löscht.",
      ...(f.webhookHost ? [`Zur Prüfung zurückgehaltene Kommentare meldet das Blog an ${e(f.webhookHost)}, mit Name, Text und Artikel.`] : []),
    ],
  },
  {
    title: "E-Mails",
    paragraphs: f.mailFrom
      ? [
          `Das Blog versendet E-Mails über Cloudflare Email Service von der Adresse ${e(f.mailFrom)}: auf deinen Wunsch eine Nachricht, wenn jemand auf deinen Kommentar antwortet (erst nachdem du den Link in einer Bestätigungsmail geöffnet hast; jede Mail enthält einen Abmeldelink), und die Links, mit denen du deine Daten abrufst.`,
          ...(f.moderatorMail ? ["Über zurückgehaltene Kommentare informiert das Blog die Redaktion per E-Mail."] : []),
        ]
      : ["Das Blog versendet keine E-Mails."],
  },
  {
    title: "Deine Daten",
    paragraphs: f.ownDataPath
      ? [
          `Auf der Seite <a href="${e(f.ownDataPath)}">Meine Daten</a> gibst du deine E-Mail-Adresse ein und erhältst einen Link, über den du alle zu dieser Adresse gespeicherten Kommentare siehst, die Daten als Datei herunterlädst und sie löschen kannst.`,
        ]
      : ["Um Auskunft über deine gespeicherten Daten oder ihre Löschung zu erhalten, wende dich an die oben genannte verantwortliche Stelle."],
  },
];

const germanFormal: Writer = (f, e) => [
  {
    title: "Hosting",
    paragraphs: [
      "Dieses Blog läuft auf Cloudflare Workers; Seiten, Kommentare und Einstellungen liegen in einer Cloudflare-D1-Datenbank. Cloudflare, Inc. (USA) verarbeitet dafür als Auftragsverarbeiter technisch notwendige Daten wie Ihre IP-Adresse, den Zeitpunkt und die angeforderte Adresse.",
    ],
  },
  {
    title: "Kommentare",
    paragraphs: [
      "Wenn Sie einen Kommentar schreiben, speichern wir Ihren Namen, Ihre E-Mail-Adresse, auf Wunsch Ihre Website, den Text und den Zeitpunkt. Die E-Mail-Adresse wird nie veröffentlicht.",
      f.moderation === "all"
        ? "Jeder Kommentar wird vor der Veröffentlichung von der Redaktion geprüft; erst dann erscheinen Name, Website und Text unter dem Artikel."
        : "Ihr erster Kommentar wird vor der Veröffentlichung von der Redaktion geprüft; spätere Kommentare mit derselben E-Mail-Adresse erscheinen sofort mit Name, Website und Text unter dem Artikel.",
      `Zum Schutz vor Missbrauch und Spam speichern wir von Ihrer IP-Adresse nur einen gesalzenen Hashwert und dazu die Kennung Ihres Browsers (User-Agent); beides löschen wir nach ${days(f.ipHashDays, "Tag", "Tagen")}.`,
      f.expireDays > 0
        ? `Als Spam erkannte und in den Papierkorb gelegte Kommentare werden nach ${days(f.expireDays, "Tag", "Tagen")} endgültig gelöscht.`
        : "Als Spam erkannte und in den Papierkorb gelegte Kommentare bleiben gespeichert, bis die Redaktion sie löscht.",
      ...(f.webhookHost ? [`Zur Prüfung zurückgehaltene Kommentare meldet das Blog an ${e(f.webhookHost)}, mit Name, Text und Artikel.`] : []),
    ],
  },
  {
    title: "E-Mails",
    paragraphs: f.mailFrom
      ? [
          `Das Blog versendet E-Mails über Cloudflare Email Service von der Adresse ${e(f.mailFrom)}: auf Ihren Wunsch eine Nachricht, wenn jemand auf Ihren Kommentar antwortet (erst nachdem Sie den Link in einer Bestätigungsmail geöffnet haben; jede Mail enthält einen Abmeldelink), und die Links, mit denen Sie Ihre Daten abrufen.`,
          ...(f.moderatorMail ? ["Über zurückgehaltene Kommentare informiert das Blog die Redaktion per E-Mail."] : []),
        ]
      : ["Das Blog versendet keine E-Mails."],
  },
  {
    title: "Ihre Daten",
    paragraphs: f.ownDataPath
      ? [
          `Auf der Seite <a href="${e(f.ownDataPath)}">Meine Daten</a> geben Sie Ihre E-Mail-Adresse ein und erhalten einen Link, über den Sie alle zu dieser Adresse gespeicherten Kommentare sehen, die Daten als Datei herunterladen und sie löschen können.`,
        ]
      : ["Um Auskunft über Ihre gespeicherten Daten oder ihre Löschung zu erhalten, wenden Sie sich an die oben genannte verantwortliche Stelle."],
  },
];

const english: Writer = (f, e) => [
  {
    title: "Hosting",
    paragraphs: [
      "This blog runs on Cloudflare Workers; its pages, comments and settings are kept in a Cloudflare D1 database. Cloudflare, Inc. (USA) processes, as a processor on our behalf, the technical data this needs, such as your IP address, the time and the address requested.",
    ],
  },
  {
    title: "Comments",
    paragraphs: [
      "When you write a comment, we store your name, your e-mail address, your website if you give one, the text and the time. Your e-mail address is never published.",
      f.moderation === "all"
        ? "Every comment is checked by the editors before it is published; only then do the name, website and text appear under the article."
        : "Your first comment is checked by the editors before it is published; later comments with the same e-mail address appear at once with name, website and text under the article.",
      `To protect against abuse and spam we keep only a salted hash of your IP address, and your browser's identification (user agent); both are deleted after ${days(f.ipHashDays, "day", "days")}.`,
      f.expireDays > 0
        ? `Comments marked as spam or moved to the trash are deleted for good after ${days(f.expireDays, "day", "days")}.`
        : "Comments marked as spam or moved to the trash are kept until the editors delete them.",
      ...(f.webhookHost ? [`Comments held for review are reported to ${e(f.webhookHost)}, with name, text and article.`] : []),
    ],
  },
  {
    title: "E-mail",
    paragraphs: f.mailFrom
      ? [
          `The blog sends e-mail through Cloudflare Email Service from ${e(f.mailFrom)}: if you ask for it, a message when someone replies to your comment (only after you opened the link in a confirmation mail; every mail has an unsubscribe link), and the links to your data.`,
          ...(f.moderatorMail ? ["The editors are told about held comments by e-mail."] : []),
        ]
      : ["The blog sends no e-mail."],
  },
  {
    title: "Your data",
    paragraphs: f.ownDataPath
      ? [
          `On the page <a href="${e(f.ownDataPath)}">Your data</a> you enter your e-mail address and receive a link that shows every comment stored with it, lets you download the data as a file and erase it.`,
        ]
      : ["To learn which of your data is stored, or to have it erased, write to the controller named above."],
  },
];

function writerFor(lang: Language, address: FormOfAddress): Writer {
  if (lang !== "de") return english;
  return address === "formal" ? germanFormal : germanInformal;
}

/** The section's HTML: one h2 and its paragraphs a topic. */
function renderProcessingSection(facts: ProcessingFacts, lang: Language, address: FormOfAddress): string {
  return writerFor(lang, address)(facts, escapeHtml)
    .map((s) => `<h2>${escapeHtml(s.title)}</h2>\n${s.paragraphs.map((p) => `<p>${p}</p>`).join("\n")}`)
    .join("\n");
}

/** `html` with the marker replaced by the section, or unchanged (and false) when it has no marker. */
export function fillProcessingSection(html: string, env: object, lang: Language, ownDataPath: string | null): { html: string; filled: boolean } {
  const at = html.indexOf(PROCESSING_MARKER);
  if (at < 0) return { html, filled: false };
  const section = renderProcessingSection(readProcessingFacts(env, ownDataPath), lang, getSiteSettings(env).formOfAddress);
  return { html: html.slice(0, at) + section + html.slice(at + PROCESSING_MARKER.length), filled: true };
}
