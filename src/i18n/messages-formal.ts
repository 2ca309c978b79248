// The formal German register ("Sie"), as WordPress ships de_DE_formal beside
// de_DE: chosen with FORM_OF_ADDRESS = "formal". It holds only the texts that
// speak to a reader or commenter (a du, dein, or a du imperative); every other
// text is the same in both registers and comes from the informal table.
// The editors' own texts (admin, moderators' mail) have no formal form: the
// team speaks du among itself whatever the site says to its readers.
import type { MessageKey } from "./messages";

/** The keys whose German text addresses a reader or commenter; each has its formal form below. */
export type ReaderAddressKey = Extract<
  MessageKey,
  | "commentAnswerTitle"
  | "embedNotice"
  | "commentAnswerTitleUntitled"
  | "previewNotFoundText"
  | "previewExpiredText"
  | "bodyUnsupportedType"
  | "bodyFormOnly"
  | "bodyJsonOnly"
  | "errorText"
  | "searchNothingFound"
  | "searchHint"
  | "searchUnavailable"
  | "commentsUnavailable"
  | "leaveReply"
  | "emailNote"
  | "allowedTags"
  | "unsubscribeText"
  | "unsubscribedText"
  | "unsubscribeExpiredText"
  | "mailLinkInvalidText"
  | "confirmTitle"
  | "confirmText"
  | "confirmButton"
  | "confirmedText"
  | "confirmExpiredText"
  | "confirmGoneText"
  | "notifyReplies"
  | "privacyNoticeBefore"
  | "commentPending"
  | "commentProcessing"
  | "formHasErrors"
  | "errInvalidParent"
  | "errTokenMissing"
  | "errTokenExpired"
  | "errTooFast"
  | "errFlood"
  | "errRateLimited"
  | "errDuplicate"
  | "errUnavailable"
  | "mailApprovedSubject"
  | "mailApprovedIntro"
  | "mailReplySubject"
  | "mailReplyIntro"
  | "mailConfirmSubject"
  | "mailConfirmAction"
  | "mailConfirmIgnore"
  | "myDataLink"
  | "myDataIntro"
  | "myDataSentTitle"
  | "myDataSentText"
  | "myDataThrottled"
  | "myDataNoMail"
  | "myDataListTitle"
  | "myDataEraseTitle"
  | "myDataEraseText"
  | "myDataErasedAnonymised"
  | "myDataLinkInvalidText"
  | "myDataLinkExpiredText"
  | "myDataLinkSpentText"
  | "mailDataSubject"
  | "mailDataIntro"
  | "mailDataAction"
  | "mailDataIgnore"
>;

// Typed as the whole set: a key missing here, or one that is not in the set, fails the type check.
export const deFormal: { readonly [K in ReaderAddressKey]: string } = {
  commentAnswerTitle: "Ihr Kommentar zu „{title}“",
  embedNotice: "Erst wenn Sie klicken, wird der Player von {provider} geladen. Beim Abspielen werden Daten an {provider} übertragen.",
  commentAnswerTitleUntitled: "Ihr Kommentar",
  previewNotFoundText:
    "Diesen Vorschau-Link gibt es nicht, er ist unvollständig, oder der Artikel ist inzwischen veröffentlicht. Fragen Sie nach einem neuen Link.",
  previewExpiredText: "Dieser Vorschau-Link ist abgelaufen. Fragen Sie nach einem neuen Link.",
  bodyUnsupportedType: "Senden Sie ein Formular (application/x-www-form-urlencoded oder multipart/form-data) oder JSON.",
  bodyFormOnly: "Senden Sie hier ein Formular.",
  bodyJsonOnly: "Senden Sie hier JSON (application/json).",
  errorText: "Bitte versuchen Sie es gleich noch einmal.",
  searchNothingFound: "Zu „{query}“ haben wir leider nichts gefunden. Versuchen Sie es mit anderen oder weniger Wörtern.",
  searchHint:
    "Durchsuchen Sie alle Artikel und Seiten: Groß- und Kleinschreibung und Akzente zählen nicht, Wortteile werden gefunden, „Anführungszeichen“ suchen eine Wortfolge.",
  searchUnavailable: "Der Suchindex wird gerade neu aufgebaut. Bitte versuchen Sie es in einer Minute noch einmal.",
  commentsUnavailable: "Kommentieren ist gerade nicht möglich. Bitte versuchen Sie es später noch einmal.",
  leaveReply: "Hinterlassen Sie einen Kommentar",
  emailNote: "Ihre E-Mail-Adresse wird nicht veröffentlicht.",
  allowedTags: "Sie können folgende HTML-Tags verwenden:",
  unsubscribeText: "Sie bekommen dann keine Mail mehr, wenn jemand auf Ihren Kommentar antwortet.",
  unsubscribedText: "Zu diesem Kommentar bekommen Sie keine Mails mehr.",
  unsubscribeExpiredText:
    "Abmeldelinks gelten {days} Tage. Jede Mail zu Ihrem Kommentar bringt einen neuen mit: Nehmen Sie den Link aus der neuesten Mail, oder dort die Abmelden-Schaltfläche Ihres Mailprogramms.",
  mailLinkInvalidText: "Dieser Link ist unvollständig oder verändert. Nehmen Sie den Link aus der Mail, so wie er ist.",
  confirmTitle: "Mails zu Ihrem Kommentar?",
  confirmText:
    "Sie bekommen dann eine Mail, wenn Ihr Kommentar freigegeben ist, und eine bei jeder Antwort darauf. Abbestellen können Sie mit dem Link in jeder dieser Mails.",
  confirmButton: "Ja, schicken Sie mir diese Mails",
  confirmedText: "Danke! Ab jetzt bekommen Sie Mails zu Ihrem Kommentar.",
  confirmExpiredText:
    "Bestätigungslinks gelten {days} Tage. Ohne Bestätigung schicken wir Ihnen keine Mails zu diesem Kommentar; möchten Sie welche, kreuzen Sie das beim nächsten Kommentar wieder an.",
  confirmGoneText: "Zu diesem Kommentar sind keine Mails mehr bestellt: Er wurde gelöscht, oder Sie haben sie abbestellt.",
  notifyReplies:
    "Benachrichtigen Sie mich per Mail, wenn mein Kommentar freigegeben ist und wenn jemand antwortet. Sie bekommen zuerst eine Mail, mit der Sie das bestätigen.",
  privacyNoticeBefore: "Mit dem Absenden akzeptieren Sie die",
  commentPending: "Ihr Kommentar wartet auf Freischaltung.",
  commentProcessing:
    "Ihr Kommentar ist angekommen und wird gerade verarbeitet. Laden Sie die Seite gleich neu, dann sehen Sie ihn hier, solange er auf Freischaltung wartet.",
  formHasErrors: "Bitte prüfen Sie die markierten Felder.",
  errInvalidParent: "Den Kommentar, auf den Sie antworten wollen, gibt es nicht (mehr), oder er nimmt keine Antworten an.",
  errTokenMissing: "Das Formular ist unvollständig. Bitte laden Sie die Seite neu.",
  errTokenExpired: "Das Formular ist abgelaufen. Bitte schicken Sie es noch einmal ab.",
  errTooFast: "Das ging sehr schnell. Bitte warten Sie {seconds} Sekunden und schicken Sie den Kommentar dann noch einmal ab.",
  errFlood: "Sie kommentieren zu schnell. Bitte warten Sie {seconds} Sekunden.",
  errRateLimited: "Zu viele Kommentare in kurzer Zeit. Bitte versuchen Sie es in {seconds} Sekunden wieder.",
  errDuplicate: "Doppelter Kommentar: Das haben Sie hier schon geschrieben.",
  errUnavailable: "Ihr Kommentar konnte gerade nicht angenommen werden. Bitte versuchen Sie es in {seconds} Sekunden noch einmal.",
  mailApprovedSubject: "Ihr Kommentar ist freigegeben: {title}",
  mailApprovedIntro: "Guten Tag {author}, Ihr Kommentar zu „{title}“ ist jetzt sichtbar:",
  mailReplySubject: "Neue Antwort auf Ihren Kommentar: {title}",
  mailReplyIntro: "Guten Tag {author}, {replier} hat auf Ihren Kommentar zu „{title}“ geantwortet:",
  mailConfirmSubject: "Bitte bestätigen: Mails zu Ihrem Kommentar zu „{title}“",
  mailConfirmAction: "Waren Sie das und möchten Sie diese Mails, bestätigen Sie es hier (der Link gilt {days} Tage):",
  mailConfirmIgnore: "Waren Sie es nicht, lassen Sie diese Mail einfach liegen: Ohne Bestätigung schicken wir Ihnen nichts weiter.",
  myDataLink: "Ihre Kommentare und was wir dazu speichern: ansehen, herunterladen oder löschen",
  myDataIntro:
    "Geben Sie die E-Mail-Adresse ein, mit der Sie kommentiert haben. Wir schicken Ihnen einen Link, mit dem Sie alle Kommentare unter dieser Adresse sehen, als Datei herunterladen oder löschen.",
  myDataSentTitle: "Bitte sehen Sie in Ihr Postfach",
  myDataSentText:
    "Sind unter dieser Adresse Kommentare gespeichert, bekommen Sie gleich eine Mail mit dem Link (er gilt {hours} Stunden). Kommt keine, ist unter dieser Adresse nichts gespeichert.",
  myDataThrottled: "Für diese Adresse oder von Ihrem Anschluss kamen gerade zu viele Anfragen. Bitte versuchen Sie es in {minutes} Minuten wieder.",
  myDataNoMail:
    "Dieser Blog verschickt gerade keine Mails, daher geht das hier nicht. Schreiben Sie uns an die Adresse im Impressum; wir schicken Ihnen Ihre Daten oder löschen sie.",
  myDataListTitle: "Ihre Daten",
  myDataEraseTitle: "Ihre Daten löschen?",
  myDataEraseText:
    "Aus allen {count} Kommentaren unter {email} werden Name, E-Mail-Adresse, Website, IP-Hash und Browserkennung entfernt, und alle Mails zu ihnen enden. Der Text bleibt unter „Anonym“ stehen, außer Sie kreuzen an, dass er mit gelöscht wird. Das lässt sich nicht rückgängig machen.",
  myDataErasedAnonymised:
    "{count} Kommentare stehen jetzt ohne Ihren Namen da, und {subscriptions} Mail-Bestellungen sind beendet. Der Link ist damit verbraucht.",
  myDataLinkInvalidText: "Dieser Link ist unvollständig oder verändert. Fordern Sie hier einen neuen an.",
  myDataLinkExpiredText: "Links zu Ihren Daten gelten {hours} Stunden. Fordern Sie hier einen neuen an.",
  myDataLinkSpentText:
    "Mit diesem Link wurden die Daten schon gelöscht. Ist unter der Adresse seitdem Neues gespeichert, fordern Sie hier einen neuen Link an.",
  mailDataSubject: "Ihre Daten bei {site}",
  mailDataIntro: "Jemand, hoffentlich Sie, hat bei {site} nach den Kommentaren gefragt, die unter dieser Adresse gespeichert sind.",
  mailDataAction: "Mit diesem Link sehen Sie sie, laden sie herunter oder löschen sie (er gilt {hours} Stunden):",
  mailDataIgnore: "Waren Sie es nicht, lassen Sie diese Mail einfach liegen: Ohne den Link sieht niemand etwas, und nichts wird gelöscht.",
};
