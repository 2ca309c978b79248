import { describe, expect, it } from "vitest";
import { countLinks, parseSafeUrl, renderCommentHtml } from "../../src/comments/sanitize";
import { XSS_VECTOR_CLASSES } from "../fixtures/xss-vectors";
import { ABSENT_XSS_CORPORA, DOMPURIFY_CORPUS, loadDompurifyPayloads, loadOwaspVectors, OWASP_CORPUS, warnAbsentXssCorpora } from "../helpers/xss-corpora";
import { findXssProblems } from "../helpers/xss-judge";

warnAbsentXssCorpora("the sanitizer test");

describe("renderCommentHtml", () => {
  it.each([
    ["plain text", "Hallo Welt", "<p>Hallo Welt</p>"],
    ["escapes markup characters", `a < b & "c" > 'd'`, "<p>a &lt; b &amp; &quot;c&quot; &gt; &#39;d&#39;</p>"],
    ["paragraphs and line breaks", "eins\nzwei\n\ndrei", "<p>eins<br>zwei</p><p>drei</p>"],
    [
      "allowed inline tags",
      "<b>b</b> <strong>s</strong> <em>e</em> <i>i</i> <code>c</code> <cite>t</cite> <strike>x</strike>",
      "<p><b>b</b> <strong>s</strong> <em>e</em> <i>i</i> <code>c</code> <cite>t</cite> <strike>x</strike></p>",
    ],
    ["links get rel", `<a href="https://example.com/x" title="T">x</a>`, `<p><a href="https://example.com/x" title="T" rel="nofollow ugc noopener">x</a></p>`],
    ["mailto survives", `<a href="mailto:a@example.com">m</a>`, `<p><a href="mailto:a@example.com" rel="nofollow ugc noopener">m</a></p>`],
    ["javascript: href is dropped", `<a href="javascript:alert(1)">x</a>`, `<p><a rel="nofollow ugc noopener">x</a></p>`],
    ["unknown tags become text", "<script>alert(1)</script>", "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"],
    ["event handlers are dropped", `<b onclick="x()">b</b>`, "<p><b>b</b></p>"],
    ["unclosed tags are closed", "<b><i>x", "<p><b><i>x</i></b></p>"],
    ["stray closers stay text", "x</b>", "<p>x&lt;/b&gt;</p>"],
    [
      "bare URLs are linked",
      "siehe https://example.com/a.",
      `<p>siehe <a href="https://example.com/a" rel="nofollow ugc noopener">https://example.com/a</a>.</p>`,
    ],
    [
      "blockquote with cite",
      `<blockquote cite="https://example.com">Zitat</blockquote>danach`,
      `<blockquote cite="https://example.com/"><p>Zitat</p></blockquote><p>danach</p>`,
    ],
    [
      "abbr, acronym, del, q",
      `<abbr title="a">A</abbr><acronym title="b">B</acronym><del datetime="2024-01-01">d</del><q cite="https://q.example/">q</q>`,
      `<p><abbr title="a">A</abbr><acronym title="b">B</acronym><del datetime="2024-01-01">d</del><q cite="https://q.example/">q</q></p>`,
    ],
    [
      "no link inside a link",
      `<a href="https://a.example/">x https://b.example/</a>`,
      `<p><a href="https://a.example/" rel="nofollow ugc noopener">x https://b.example/</a></p>`,
    ],
    ["inline tags continue across paragraphs", "<b>a\n\nb</b>", "<p><b>a</b></p><p><b>b</b></p>"],
  ])("%s", (_, input, expected) => {
    expect(renderCommentHtml(input)).toBe(expected);
  });

  it("counts written and bare links alike", () => {
    expect(countLinks(renderCommentHtml(`<a href="https://a.example">a</a> und http://b.example und https://c.example`))).toBe(3);
    expect(countLinks(renderCommentHtml("keine Links, nur example.com"))).toBe(0);
  });

  it("accepts only http, https and mailto URLs", () => {
    expect(parseSafeUrl("https://example.com")).toBe("https://example.com/");
    expect(parseSafeUrl("mailto:x@example.com")).toBe("mailto:x@example.com");
    for (const bad of ["javascript:alert(1)", " java\tscript:alert(1)", "data:text/html,x", "//evil.example", "/relative", "ftp://x.example"]) {
      expect(parseSafeUrl(bad), bad).toBeNull();
    }
  });

  it("keeps a link to a path on this site, and nothing a browser could read as another host", () => {
    expect(renderCommentHtml('<a href="/articles/x#comment-2">hier</a>')).toBe('<p><a href="/articles/x#comment-2" rel="nofollow ugc noopener">hier</a></p>');
    const hosts = ["//evil.example/", "/\\evil.example/", "/&#9;/evil.example/", "/\t/evil.example", "/a b", "javascript:/x", "relative/path"];
    for (const href of hosts) expect(renderCommentHtml(`<a href="${href}">x</a>`), href).toBe('<p><a rel="nofollow ugc noopener">x</a></p>');
  });
});

describe("XSS vectors through the sanitizer, judged by a parser", () => {
  function judgeAll(vectors: string[]): string[] {
    return vectors.flatMap((v) => findXssProblems(renderCommentHtml(v)).map((p) => `${JSON.stringify(v).slice(0, 80)}: ${p}`));
  }

  it.each(Object.entries(XSS_VECTOR_CLASSES))("the project's own vectors: %s", (_, vectors) => {
    expect(vectors.length).toBeGreaterThan(5);
    expect(judgeAll([...vectors])).toEqual([]);
  });

  it.skipIf(ABSENT_XSS_CORPORA.includes(DOMPURIFY_CORPUS))("DOMPurify's test payloads (../shared/xss)", async () => {
    const payloads = (await loadDompurifyPayloads()) ?? [];
    expect(payloads.length).toBeGreaterThan(200);
    expect(judgeAll(payloads)).toEqual([]);
  });

  it.skipIf(ABSENT_XSS_CORPORA.includes(OWASP_CORPUS))("the OWASP filter-evasion cheat sheet (../shared/xss)", async () => {
    const vectors = (await loadOwaspVectors()) ?? [];
    expect(vectors.length).toBeGreaterThan(100);
    expect(judgeAll(vectors)).toEqual([]);
  });

  it("the judge itself catches what it must", () => {
    expect(findXssProblems(`<img src=x onerror=alert(1)>`).length).toBeGreaterThan(0);
    expect(findXssProblems(`<a href="javascript:alert(1)">x</a>`).length).toBeGreaterThan(0);
    expect(findXssProblems(`<b style="x">y</b>`).length).toBeGreaterThan(0);
    expect(findXssProblems(`<p><a href="https://ok.example/" rel="nofollow">ok</a></p>`)).toEqual([]);
  });
});

describe("renderCommentHtml with prototype names as tags", () => {
  const names = ["constructor", "Constructor", "CONSTRUCTOR", "__proto__", "toString", "hasOwnProperty", "valueOf", "isPrototypeOf"];
  it.each(names)("escapes <%s> as text, with and without attributes, never throwing", (name) => {
    for (const source of [`<${name}>x</${name}>`, `<${name} x=1>x</${name}>`, `<${name} href="https://e.example/" title='t'>x`]) {
      const html = renderCommentHtml(source);
      expect(html).not.toMatch(new RegExp(`<${name}`, "i"));
      expect(html).toContain(`&lt;${name}`);
    }
  });

  it("keeps a prototype name out of an allowed tag's attributes", () => {
    expect(renderCommentHtml(`<b constructor="x" toString=1 valueOf>b</b>`)).toBe("<p><b>b</b></p>");
  });

  it("decodes only the named entities it knows, not prototype names", () => {
    expect(renderCommentHtml(`<a title="&constructor;&toString;&amp;">x</a>`)).toBe(
      `<p><a title="&amp;constructor;&amp;toString;&amp;" rel="nofollow ugc noopener">x</a></p>`,
    );
  });
});
