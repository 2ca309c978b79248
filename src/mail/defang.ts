// Text nobody has checked yet (a held comment, its author's name), made inert
// for a mail to the moderators. Mail programs turn whatever looks like an
// address into a link, in the HTML part and in plain text alike, so escaping
// is not enough: schemes become "hxxp", and the dot before a host name's next
// label "[.]" ("hxxps://evil[.]example/x", "www[.]evil[.]example",
// "a@b[.]example"). The moderator still reads where a link points; a slip of
// the mouse opens nothing. Numbers ("3.14", "1.2.3") keep their dots.
const SCHEME = /\b(?:(h)tt(ps?)|(f)t(p)):\/\//giu;
const HOST_DOT = /(?<=[\p{L}\p{N}_-])[.。．｡](?=\p{L})/gu;

/** The text with its URLs, host names and addresses no longer clickable. */
export function defangText(text: string): string {
  return text
    .replace(SCHEME, (_, h: string | undefined, ps: string | undefined, f: string | undefined, p: string | undefined) =>
      h ? `${h}xx${ps}://` : `${f}x${p}://`,
    )
    .replace(HOST_DOT, "[.]");
}
