// Whether a reader's name or e-mail passes for the editor's. Only the editor's
// own replies (written in the admin, flagged there) may carry that identity;
// a reader's comment that looks like one is held with a reason. Strings are
// compared by their skeleton: what is left when everything the eye cannot tell
// apart is folded together (case, compatibility forms, accents, invisible and
// direction characters, spacing and punctuation, letters of other scripts that
// look like Latin ones). Folding too much only holds a comment for a person to
// look at; folding too little lets an impostor through.
import type { EditorIdentity } from "../config/editor";
import { de, en } from "../i18n/messages";

// What shows nothing: zero-width characters, joiners, bidi marks, soft hyphens,
// variation selectors, and the Hangul fillers, which would otherwise count as letters.
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\p{Cf}]/gu;
const MARKS = /\p{M}/gu;
// Spaces, punctuation and symbols: "A g e n t u r.team" reads as "Agenturteam".
const NOT_LETTER_OR_DIGIT = /[^\p{L}\p{N}]/gu;

// Letters that NFKC leaves alone but that look like a Latin letter (after
// Unicode's confusables.txt, for the scripts names are faked with: Latin
// variants and small capitals, Cyrillic, Greek, Armenian). Upper case is listed
// where it looks unlike its lower case (Greek Η is H, η is n). i, l, 1 and |
// all fold to l, and 0 to o, since a name can mix them.
const LOOKS_LIKE = new Map<string, string>(
  Object.entries({
    a: "ɑᴀаαΑօ",
    b: "ƀʙвьβΒ",
    c: "ᴄс",
    d: "đᴅԁ",
    e: "ᴇеёεΕ",
    g: "ɡɢց",
    h: "ħʜһнΗհ",
    j: "ȷᴊј",
    k: "ᴋкҡκΚ",
    l: "ıi1|łɩɪʟіїӏӀιΙ",
    m: "ᴍмΜ",
    n: "ɴпηΝո",
    o: "0øᴏоοΟ",
    p: "ᴘрρΡ",
    q: "ԛզ",
    r: "ʀг",
    s: "ꜱѕ",
    t: "ŧᴛтτΤ",
    u: "ᴜμυս",
    v: "ᴠν",
    w: "ᴡԝω",
    x: "хχΧ",
    y: "ʏуүγΥ",
    z: "ᴢζΖ",
    ss: "ß",
    ae: "æ",
    oe: "œ",
  }).flatMap(([latin, lookalikes]) => [...lookalikes].map((ch) => [ch, latin] as const)),
);
// Pairs that read as one letter at a glance.
const LOOK_LIKE_ONE = [
  [/rn/g, "m"],
  [/vv/g, "w"],
] as const;

/** What a string looks like, folded: equal skeletons are strings a reader cannot tell apart. */
function skeletonOf(text: string): string {
  const bare = text.normalize("NFKC").replace(INVISIBLE, "").normalize("NFD").replace(MARKS, "");
  let folded = "";
  for (const ch of bare) {
    const lower = ch.toLowerCase();
    folded += LOOKS_LIKE.get(ch) ?? LOOKS_LIKE.get(lower) ?? lower;
  }
  let skeleton = folded.replace(NOT_LETTER_OR_DIGIT, "");
  for (const [pair, one] of LOOK_LIKE_ONE) skeleton = skeleton.replace(pair, one);
  return skeleton;
}

/** An address without its "+tag", which reaches (and reads as) the same mailbox. */
function withoutSubaddress(email: string): string {
  return email.replace(/\+[^@]*(?=@[^@]*$)/, "");
}

// The marker editor replies carry, in every language: a name made of it (or of
// the editor's name and it) would read as that marker.
const MARKER_WORDS = [...new Set([de.editorBadge, en.editorBadge].map(skeletonOf))];

function editorNameSkeletons(name: string): Set<string> {
  const own = skeletonOf(name);
  if (own === "") return new Set(MARKER_WORDS);
  return new Set([...MARKER_WORDS, own, ...MARKER_WORDS.flatMap((word) => [own + word, word + own])]);
}

/** Which of a reader's fields pass for the editor's: "author", "email", both or neither. */
export function findEditorLookalikes(reader: { author: string; email: string }, editor: EditorIdentity): ("author" | "email")[] {
  const fields: ("author" | "email")[] = [];
  if (editorNameSkeletons(editor.name).has(skeletonOf(reader.author))) fields.push("author");
  const editorEmail = skeletonOf(withoutSubaddress(editor.email));
  if (editorEmail !== "" && editorEmail === skeletonOf(withoutSubaddress(reader.email))) fields.push("email");
  return fields;
}
