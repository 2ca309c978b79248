// Public XSS corpora from ../shared/xss (data, not copied into the project),
// run in addition to the project's own vectors (test/fixtures/xss-vectors.ts).
// Whether each is there is known when the test file is collected, so a test
// can say which corpus did not run instead of passing without it.
const modules = import.meta.glob<{ default: { payload: string }[] }>("../../../shared/xss/dompurify-expect.mjs");
const texts = import.meta.glob<string>("../../../shared/xss/owasp-xss-filter-evasion.md", { query: "?raw", import: "default" });

export const DOMPURIFY_CORPUS = "../shared/xss/dompurify-expect.mjs";
export const OWASP_CORPUS = "../shared/xss/owasp-xss-filter-evasion.md";

/** The outside corpora that are absent from ../shared/xss, by path; empty when all are there. */
export const ABSENT_XSS_CORPORA: readonly string[] = [
  ...(Object.keys(modules).length === 0 ? [DOMPURIFY_CORPUS] : []),
  ...(Object.keys(texts).length === 0 ? [OWASP_CORPUS] : []),
];

/** Prints, once per test file, which outside corpus did not run there. */
export function warnAbsentXssCorpora(where: string): void {
  for (const corpus of ABSENT_XSS_CORPORA) console.warn(`Outside corpus not run: ${corpus} is absent; ${where} ran the project's own vectors only.`);
}

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
