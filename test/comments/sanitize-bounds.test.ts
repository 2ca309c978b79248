// The sanitizer's output is bounded by its input: over a generated family of
// adversarial shapes, at sizes up to the largest comment the form takes, the
// HTML is at most ten times the text (plus a few bytes for a tiny comment) and
// nests no deeper than the limit, wherever the tags were opened.
import { describe, expect, it } from "vitest";
import { COMMENT_LIMITS } from "../../src/comments/message";
import { MAX_TAG_DEPTH, renderCommentHtml } from "../../src/comments/sanitize";
import { findXssProblems, parseFragment } from "../helpers/xss-judge";

const MAX_GROWTH = 10;
/** What a one-character comment may cost: "<a>" alone becomes a paragraph with a complete link. */
const SLACK_BYTES = 64;
/** D1's limit for one string value (developers.cloudflare.com/d1/platform/limits). */
const D1_MAX_VALUE_BYTES = 2_000_000;

const utf8 = new TextEncoder();
const bytes = (text: string) => utf8.encode(text).byteLength;

const TAGS = ["a", "abbr", "acronym", "b", "blockquote", "cite", "code", "del", "em", "i", "q", "strike", "strong"];
const LONG = "t".repeat(2000);

/** One repeated unit (between an optional head and tail), as many times as fit in `size` bytes. */
function fill(size: number, unit: string, head = "", tail = ""): string {
  return head + unit.repeat(Math.max(1, Math.floor((size - bytes(head) - bytes(tail)) / bytes(unit)))) + tail;
}

const SHAPES: Record<string, (size: number) => string> = {
  "unclosed <b> per paragraph": (n) => fill(n, "<b>x\n\n"),
  "every allowed tag unclosed, per paragraph": (n) => fill(n, TAGS.map((t) => `<${t}>x\n\n`).join("")),
  "long titles carried over many paragraphs": (n) => fill(n, "x\n\n", `<abbr title="${LONG}"><acronym title="${LONG}">`),
  "a long link carried over many paragraphs": (n) => fill(n, "x\n\n", `<a href="https://e.example/${LONG}">`),
  "nested tags": (n) => fill(n, "<b><i><em><strong><code><cite><del><strike><abbr><acronym><q>"),
  "nested blockquotes": (n) => fill(n, "<blockquote>x\n\n"),
  "stray closers": (n) => fill(n, "</b></blockquote>"),
  "empty links": (n) => fill(n, "<a></a>"),
  "quotes in text": (n) => fill(n, `"'`),
  "quotes in a title": (n) => fill(n, `"`, "<abbr title='", "'>x"),
  "entities in a title": (n) => fill(n, "&#34;&#x26;&quot;", `<abbr title="`, `">x`),
  ampersands: (n) => fill(n, "&amp;&"),
  "line breaks": (n) => fill(n, "x\n"),
  paragraphs: (n) => fill(n, "x\n\n"),
  "short bare URLs": (n) => fill(n, "http://1 "),
  "a bare URL full of ampersands": (n) => fill(n, "&", "http://a/?"),
  "a bare URL of emoji": (n) => fill(n, "😀", "http://a/"),
  "a link full of ampersands": (n) => fill(n, "&", `<a href="http://a/?`, `">x</a>`),
  "a long word": (n) => fill(n, "a"),
  "a long word in carried tags": (n) => fill(n, "\n\n", `<b><i>${"w".repeat(n >> 1)}`),
  mixed: (n) => fill(n, `<b>"x" & http://a/?&& <abbr title='"'>ä\n\n</i><q cite="https://q.example/">😀</q>\n`),
};

/** A seeded stream of numbers in [0, 1): the same comments on every run. */
function createRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FRAGMENTS = [
  ...TAGS.flatMap((t) => [`<${t}>`, `</${t}>`]),
  `<a href="https://e.example/?a=1&b=2" title="t">`,
  `<abbr title='"&amp;"'>`,
  `<q cite="javascript:alert(1)">`,
  "x",
  "Wort ",
  "\n",
  "\n\n",
  " \n \n",
  "&",
  `"`,
  "<",
  "http://a/?&&",
  "https://e.example/ä ",
  "😀",
  "&#x26;",
  "<b",
];

function randomComment(random: () => number, size: number): string {
  const parts: string[] = [];
  for (let length = 0; length < size; ) {
    const fragment = FRAGMENTS[Math.floor(random() * FRAGMENTS.length)] ?? "";
    parts.push(fragment);
    length += bytes(fragment);
  }
  return parts.join("");
}

/** How deeply the HTML's elements nest, parsed as a browser parses it. */
function measureDepth(html: string): number {
  type Node = { tagName?: string; childNodes?: Node[] };
  const depthOf = (node: Node): number => (node.tagName ? 1 : 0) + Math.max(0, ...(node.childNodes ?? []).map(depthOf));
  return depthOf(parseFragment(html) as Node);
}

function expectBounded(text: string): string {
  const html = renderCommentHtml(text);
  expect(bytes(html), `${bytes(text)} bytes in`).toBeLessThanOrEqual(MAX_GROWTH * bytes(text) + SLACK_BYTES);
  return html;
}

describe("the sanitizer's output is bounded by its input", () => {
  const sizes = [1_000, 8_000, COMMENT_LIMITS.comment];

  it.each(Object.keys(SHAPES))("%s: at most ten times the text, at every size", (name) => {
    for (const size of sizes) expectBounded(SHAPES[name]?.(size) ?? "");
  });

  it.each(Object.keys(SHAPES))("%s: nests no deeper than the limit, and stays safe", (name) => {
    const html = expectBounded(SHAPES[name]?.(4_000) ?? "");
    // A paragraph and a linked bare URL are the writer's own, around the reader's tags.
    expect(measureDepth(html)).toBeLessThanOrEqual(MAX_TAG_DEPTH + 2);
    expect(findXssProblems(html)).toEqual([]);
  });

  it("random mixes of tags, entities, URLs and line breaks stay bounded and shallow", () => {
    const random = createRandom(17);
    for (let i = 0; i < 300; i++) {
      const html = expectBounded(randomComment(random, 1 + Math.floor(random() * 3_000)));
      expect(measureDepth(html)).toBeLessThanOrEqual(MAX_TAG_DEPTH + 2);
    }
    for (let i = 0; i < 4; i++) expectBounded(randomComment(random, COMMENT_LIMITS.comment - 8));
  });

  it("the largest comment of the worst shape is stored far under D1's value limit", () => {
    const worst = Object.values(SHAPES).map((shape) => shape(COMMENT_LIMITS.comment));
    const largest = Math.max(...worst.map((text) => bytes(text) + bytes(renderCommentHtml(text))));
    expect(largest).toBeLessThan(D1_MAX_VALUE_BYTES / 2);
  });

  it("still carries a reader's italics over paragraphs of ordinary length", () => {
    const text = `<i>${"Ein Absatz mit ein paar Worten.\n\n".repeat(40)}Ende.</i>`;
    const html = renderCommentHtml(text);
    expect(html.match(/<p><i>/g)).toHaveLength(41);
    expect(html.endsWith("Ende.</i></p>")).toBe(true);
  });
});
