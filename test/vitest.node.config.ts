// Node-side tests: they spawn the real wrangler CLI and start the Worker with
// wrangler's API, which workerd (test/vitest.config.ts) cannot do.
import path from "node:path";
import { defineConfig } from "vitest/config";

const root = path.resolve(import.meta.dirname, "..");

export default defineConfig({
  root,
  test: {
    include: ["test/**/*.node.test.ts"],
    exclude: ["node_modules/**"],
    environment: "node",
    // wrangler takes a few seconds to start, each time.
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
