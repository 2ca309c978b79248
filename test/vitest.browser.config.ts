// Browser tests: Debian's Chromium (playwright-core) against the Worker under
// `wrangler dev`. They run in Node, one file at a time; see test/browser/.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  test: {
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    // Each file starts its own wrangler dev and browser; no need to run them side by side.
    fileParallelism: false,
    // Setup applies migrations, publishes content/ and starts wrangler dev (about 20 s).
    testTimeout: 120_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
