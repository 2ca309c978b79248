// axe-core in a page. Our Content-Security-Policy forbids inline script, so
// axe can only be injected into pages of a context created with bypassCSP: true.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; html: string; failureSummary: string }[];
}

export interface AxeReport {
  url: string;
  axeVersion: string;
  violations: AxeViolation[];
  passes: number;
  incomplete: string[];
}

// A string, not a function: evaluated as it is, whatever the TypeScript
// transform would add to a function's source (helpers the page does not have).
const RUN_AXE = `axe.run(document, { resultTypes: ["violations"] }).then((r) => ({
  url: r.url,
  axeVersion: r.testEngine.version,
  passes: r.passes.length,
  incomplete: r.incomplete.map((i) => i.id),
  violations: r.violations.map((v) => ({
    id: v.id,
    impact: v.impact ?? null,
    help: v.help,
    helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, html: n.html, failureSummary: n.failureSummary ?? "" })),
  })),
}))`;

/** Runs axe-core with its default rules (WCAG 2.x A/AA and best practices) on the page as it is. */
export async function runAxe(page: Page): Promise<AxeReport> {
  await page.addScriptTag({ content: AXE_SOURCE });
  return (await page.evaluate(RUN_AXE)) as AxeReport;
}

/** The violations with their ids, impact, help text and the elements they concern. */
export function formatViolations(name: string, report: AxeReport): string {
  const review = report.incomplete.length > 0 ? `; for a human to review: ${report.incomplete.join(", ")}` : "";
  if (report.violations.length === 0) return `${name}: no axe violations (${report.passes} rules passed${review}; axe ${report.axeVersion})`;
  const lines = [`${name}: ${report.violations.length} axe violation(s) on ${report.url}${review}`];
  for (const v of report.violations) {
    lines.push(`  [${v.impact ?? "?"}] ${v.id}: ${v.help}`, `    ${v.helpUrl}`);
    for (const node of v.nodes) {
      lines.push(`    - ${node.target.map(String).join(" >>> ")}`, `      ${node.html}`);
      for (const line of node.failureSummary.split("\n")) lines.push(`      ${line}`);
    }
  }
  return lines.join("\n");
}
