// Workers-runtime tests that change the shared local D1 in ways other test
// files would see (dropping the search index): run alone, after the main suite.
import { defineConfig } from "vitest/config";
import base from "./vitest.config.ts";

export default defineConfig(async (env) => {
  const resolved = await (typeof base === "function" ? base(env) : base);
  return { ...resolved, test: { ...resolved.test, include: ["test/**/*.solo.test.ts"], exclude: ["node_modules/**"] } };
});
