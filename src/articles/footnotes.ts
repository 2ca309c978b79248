// Footnotes as GitHub and most Markdown editors write them: "[^label]" in the
// text, "[^label]: the note" on a line of its own anywhere in the article
// (lines indented below it continue the note). Notes are numbered in the
// order the text first cites them and listed at the end of the article, each
// linked to its citation and back. A citation without a note stays text; a
// note nobody cites is left out. A marked extension, kept small on purpose.
import type { MarkedExtension, Token, Tokens } from "marked";

interface Note {
  number: number;
  /** How often the text cites it so far (each citation gets its own back link). */
  cited: number;
  html: string;
}

// Per render: marked renders synchronously, and renderArticleHtml starts each one afresh.
let defined = new Map<string, Token[]>();
let notes = new Map<string, Note>();

/** Forgets the notes of the previous article. */
export function resetFootnotes(): void {
  defined = new Map();
  notes = new Map();
}

const LABEL = "[^\\]\\s]{1,64}";
const DEFINITION = new RegExp(`^\\[\\^(${LABEL})\\]:[ \\t]*([^\\n]*(?:\\n(?: {2,}|\\t)[^\\n]*)*)(?:\\n|$)`);
const DEFINITION_START = new RegExp(`^\\[\\^${LABEL}\\]:`, "m");
const REFERENCE = new RegExp(`^\\[\\^(${LABEL})\\]`);

interface DefinitionToken extends Tokens.Generic {
  label: string;
  tokens: Token[];
}

// Heading ids are slugs (letters, digits, hyphens): an underscore never collides with one.
const noteId = (n: number) => `fn_${n}`;
const refId = (n: number, k: number) => (k === 1 ? `fnref_${n}` : `fnref_${n}_${k}`);

export const footnotes: MarkedExtension = {
  extensions: [
    {
      name: "footnoteDefinition",
      level: "block",
      start: (src) => DEFINITION_START.exec(src)?.index,
      tokenizer(src) {
        const match = DEFINITION.exec(src);
        if (!match?.[1]) return undefined;
        const token: DefinitionToken = { type: "footnoteDefinition", raw: match[0], label: match[1], tokens: [] };
        this.lexer.inline((match[2] ?? "").replace(/\n[ \t]+/g, "\n").trim(), token.tokens);
        if (!defined.has(match[1])) defined.set(match[1], token.tokens);
        return token;
      },
      // Rendered where the text cites it (below), listed at the end.
      renderer: () => "",
    },
    {
      name: "footnoteReference",
      level: "inline",
      start: (src) => {
        const at = src.indexOf("[^");
        return at < 0 ? undefined : at;
      },
      tokenizer(src) {
        const match = REFERENCE.exec(src);
        if (!match?.[1] || !defined.has(match[1])) return undefined;
        return { type: "footnoteReference", raw: match[0], label: match[1] };
      },
      renderer(token) {
        const label = String(token.label);
        let note = notes.get(label);
        if (!note) {
          note = { number: notes.size + 1, cited: 0, html: "" };
          notes.set(label, note);
          note.html = this.parser.parseInline(defined.get(label) ?? []);
        }
        note.cited++;
        const n = note.number;
        return `<sup class="footnote-ref"><a href="#${noteId(n)}" id="${refId(n, note.cited)}" role="doc-noteref">${n}</a></sup>`;
      },
    },
  ],
  hooks: {
    postprocess(html) {
      if (notes.size === 0) return html;
      const items = [...notes.values()].map((note) => {
        const backLinks = Array.from({ length: note.cited }, (_, i) => {
          const k = i + 1;
          return ` <a href="#${refId(note.number, k)}" class="footnote-backref" role="doc-backlink">↩\uFE0E${k > 1 ? `<sup>${k}</sup>` : ""}</a>`;
        });
        return `<li id="${noteId(note.number)}">${note.html}${backLinks.join("")}</li>\n`;
      });
      return `${html}<section class="footnotes" role="doc-endnotes">\n<ol>\n${items.join("")}</ol>\n</section>\n`;
    },
  },
};
