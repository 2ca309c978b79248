// Debian's Chromium, driven by playwright-core. Playwright's own browser
// downloads (`npx playwright install`) cannot work here: only the npm registry
// and Debian's packages are reachable, so the system browser is the one to use.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { type Browser, chromium } from "playwright-core";

const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];

/** What `command -v chromium` prints, else /usr/bin/chromium if it exists, else null. */
function findChromium(): string | null {
  try {
    const found = execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8", timeout: 5_000 }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  return existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : null;
}

/** The Chromium to drive; throws, saying how to install it, when there is none. */
export function requireChromium(): string {
  const executablePath = findChromium();
  if (executablePath) return executablePath;
  throw new Error(
    "Chromium is not installed, and the browser tests (test/browser) need it. Install Debian's Chromium with\n" +
      "    apt-get update && apt-get install -y chromium\n" +
      "(as root; .ci/run does this in CI). `npx playwright install` cannot work here: its download host is not reachable.",
  );
}

export interface LaunchedChromium {
  browser: Browser;
  executablePath: string;
  /** The fresh profile directory Playwright created for this launch (removed again on close). */
  userDataDir: string;
  version: string;
}

/**
 * Launches headless Chromium. chromium.launch() gives the browser a new
 * temporary --user-data-dir (mkdtemp, playwright_chromiumdev_profile-*) on every
 * launch and deletes it on close; Playwright refuses a --user-data-dir in
 * `args`, so the profile and our flags are checked on the browser's own
 * command line (chrome://version).
 */
export async function launchChromium(): Promise<LaunchedChromium> {
  const executablePath = requireChromium();
  const browser = await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS, timeout: 60_000 });
  let commandLine = "";
  try {
    // The browser's own account of how it runs: its command line, as chrome://version shows it.
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto("chrome://version", { timeout: 15_000 });
    commandLine = await page.locator("#command_line").innerText({ timeout: 15_000 });
    await context.close();
  } catch (error) {
    await browser.close();
    throw error;
  }
  const argv = commandLine.split(/\s+/);
  const userDataDir = argv.find((arg) => arg.startsWith("--user-data-dir="))?.slice("--user-data-dir=".length) ?? "";
  const missing = CHROMIUM_ARGS.filter((arg) => !argv.includes(arg));
  if (
    !path.basename(userDataDir).startsWith("playwright_chromiumdev_profile-") ||
    path.relative(os.tmpdir(), userDataDir).startsWith("..") ||
    missing.length > 0
  ) {
    await browser.close();
    throw new Error(`expected Chromium with ${CHROMIUM_ARGS.join(" ")} and a fresh temporary --user-data-dir, it runs with:\n${argv.join(" ")}`);
  }
  return { browser, executablePath, userDataDir, version: browser.version() };
}
