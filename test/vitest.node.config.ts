// Node-side tests: they spawn the real wrangler CLI and start the Worker with
// wrangler's API, which workerd (test/vitest.config.ts) cannot do.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  test: {
    include: ["test/node/**/*.test.ts"],
    // test/node/solo/** is timed (npm run dev must serve a save within 2 s): it runs alone, after this suite.
    exclude: ["test/node/solo/**", "node_modules/**"],
    environment: "node",
    // wrangler takes a few seconds to start, each time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
