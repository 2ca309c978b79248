// Node tests that are timed (npm run dev must serve a saved file within 2 s):
// run alone, after the Node suite, so other wrangler processes do not share the two cores.
import { defineConfig } from "vitest/config";
import base from "./vitest.node.config.ts";

export default defineConfig({ ...base, test: { ...base.test, include: ["test/**/*.node-solo.test.ts"], exclude: ["node_modules/**"] } });
