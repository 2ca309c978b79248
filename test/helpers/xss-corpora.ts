// Public XSS corpora from ../shared/xss (data, not copied into the project).
// Each loader returns null when the folder is absent, so tests can skip and say so.
const modules = import.meta.glob<{ default: { payload: string }[] }>("../../../shared/xss/dompurify-expect.mjs");
const texts = import.meta.glob<string>("../../../shared/xss/owasp-xss-filter-evasion.md", { query: "?raw", import: "default" });

export async function loadDompurifyPayloads(): Promise<string[] | null> {
  const load = Object.values(modules)[0];
  if (!load) return null;
  return (await load()).default.map((entry) => entry.payload);
}

/** The OWASP cheat sheet's fenced code blocks and inline code spans that look like markup or script. */
export async function loadOwaspVectors(): Promise<string[] | null> {
  const load = Object.values(texts)[0];
  if (!load) return null;
  const md = await load();
  const fenced = [...md.matchAll(/```[a-z]*\n([\s\S]*?)```/g)].map((m) => (m[1] ?? "").trim());
  const inline = [...md.matchAll(/`([^`\n]+)`/g)].map((m) => m[1] ?? "").filter((v) => /[<>]|script:/i.test(v));
  return [...new Set([...fenced, ...inline])].filter((v) => v.length > 0);
}

/** The project's own vectors, aimed at this sanitizer's grammar. */
export const OWN_VECTORS = [
  `<script>alert(1)</script>`,
  `<a href="javascript:alert(1)">x</a>`,
  `<a href="jav&#x09;ascript:alert(1)">x</a>`,
  `<a href="  JaVaScRiPt:alert(1)">x</a>`,
  `<a href="java\nscript:alert(1)">x</a>`,
  `<a href="data:text/html,<script>alert(1)</script>">x</a>`,
  `<a href="vbscript:msgbox(1)">x</a>`,
  `<a href="https://ok.example" onclick="alert(1)">x</a>`,
  `<a href="https://ok.example"onclick="alert(1)">x</a>`,
  `<a title="x" href='javascript:alert(1)'>x</a>`,
  `<a href=javascript:alert(1)>x</a>`,
  `<a href="&#106;avascript:alert(1)">x</a>`,
  `<a href="https://ok.example/" style="position:fixed">x</a>`,
  `<blockquote cite="javascript:alert(1)">q</blockquote>`,
  `<q cite="data:,x">q</q>`,
  `<del datetime="x" onmouseover="alert(1)">d</del>`,
  `<b onmouseover=alert(1)>b</b>`,
  `<img src=x onerror=alert(1)>`,
  `<svg/onload=alert(1)>`,
  `<iframe src="https://evil.example"></iframe>`,
  `<b><i>unclosed`,
  `</b></strong></blockquote>stray closers`,
  `<strong>a<a href="https://x.example">b<a href="https://y.example">c</a></a></strong>`,
  `<<script>script>alert(1)<</script>/script>`,
  `<a href="https://ok.example/"><b>bold link</a> after`,
  `<!-- <script>alert(1)</script> -->`,
  `<![CDATA[<script>alert(1)</script>]]>`,
  `<style>body{display:none}</style>`,
  `<form action="https://evil.example"><input name=x></form>`,
  `<math><mi xlink:href="javascript:alert(1)">x</mi></math>`,
  `"><script>alert(1)</script>`,
  `'><img src=x onerror=alert(1)>`,
  `https://ok.example/"onmouseover="alert(1)`,
  `javascript:alert(1) is not linked, https://ok.example/path?a=1&b=<2> is`,
  `<a href="mailto:a@example.com?subject=<script>">mail</a>`,
  `<code><script>alert(1)</script></code>`,
  `<blockquote><b>x</blockquote>y</b>`,
  `<b>a\n\n<blockquote>b</blockquote>\n\nc</b>`,
  `${"<b>".repeat(40)}deep${"</b>".repeat(40)}`,
];
