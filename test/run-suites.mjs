// `npm test`: the type-check, then every suite, each one even when an earlier
// one failed (a red Node suite must not hide the browser suite's result), and
// the exit code is non-zero when any step failed. The last line sums the tests
// of all suites: "tests: N passed, N failed, N skipped".
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";

const SUITES = [
  ["workerd", "test/vitest.config.ts"],
  ["workerd, alone", "test/vitest.solo.config.ts"],
  ["node", "test/vitest.node.config.ts"],
  ["node, alone", "test/vitest.node-solo.config.ts"],
  ["chromium", "test/vitest.browser.config.ts"],
];

const reports = mkdtempSync(path.join(os.tmpdir(), "edge-blog-tests-"));
const failed = [];
const totals = { passed: 0, failed: 0, skipped: 0 };

const typecheck = spawnSync("npm", ["run", "typecheck"], { stdio: "inherit" });
if (typecheck.status !== 0) failed.push("typecheck");

for (const [name, config] of SUITES) {
  console.log(`\n=== ${name} (${config}) ===`);
  const report = path.join(reports, `${path.basename(config, ".ts")}.json`);
  const run = spawnSync("vitest", ["run", "--config", config, "--reporter=default", "--reporter=json", `--outputFile.json=${report}`], {
    stdio: "inherit",
  });
  const counts = readCounts(report);
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
    totals.skipped += counts.skipped;
  }
  if (run.status !== 0 || !counts) failed.push(name);
}
rmSync(reports, { recursive: true, force: true });

console.log("");
if (failed.length > 0) console.log(`failed: ${failed.join("; ")}`);
console.log(`tests: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = failed.length > 0 ? 1 : 0;

/** The counts of Vitest's JSON report, or null when the suite wrote none (it crashed before reporting). */
function readCounts(file) {
  try {
    const json = JSON.parse(readFileSync(file, "utf8"));
    return { passed: json.numPassedTests, failed: json.numFailedTests, skipped: json.numPendingTests + json.numTodoTests };
  } catch {
    return null;
  }
}
