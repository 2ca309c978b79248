// What `npm run dev` shows of wrangler's output: the first bindings table, not
// the repeats; no offline warnings with their stacks; everything else as is.
import { describe, expect, it } from "vitest";
import { createOutputFilter } from "../../../tools/dev/dev-output";

const TABLE = ["Your Worker has access to the following bindings:", "Binding   Resource", "env.DB (edge-blog)   D1 Database", ""];

describe("the dev command's output filter", () => {
  it("keeps the first bindings table and drops the repeats", () => {
    const keep = createOutputFilter();
    const lines = [...TABLE, "[wrangler:info] Ready on http://127.0.0.1:8787", ...TABLE, "[wrangler:info] GET / 200 OK"];
    expect(lines.filter(keep)).toEqual([...TABLE, "[wrangler:info] Ready on http://127.0.0.1:8787", "[wrangler:info] GET / 200 OK"]);
  });

  it("drops offline warnings and their stack traces, but keeps the Worker's own errors with theirs", () => {
    const keep = createOutputFilter();
    const lines = [
      "▲ [WARNING] Failed to fetch the request.cf object, using a fallback",
      "    at fetchCf (wrangler.js:1:1)",
      "  [cause]: Error: getaddrinfo ENOTFOUND workers.cloudflare.com",
      "✘ [ERROR] unhandled error GET /x Error: boom",
      "    at handler (src/routes/pages.tsx:10:5)",
      "[wrangler:info] GET /x 500 Internal Server Error",
    ];
    expect(lines.filter(keep)).toEqual(lines.slice(3));
  });
});
