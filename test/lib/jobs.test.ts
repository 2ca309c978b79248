// The cron's jobs run each on its own: one that fails neither stops the
// others nor goes unnoticed.
import { describe, expect, it } from "vitest";
import { runJobs } from "../../src/lib/jobs";

describe("runJobs", () => {
  it("runs each whatever another did, and fails afterwards when one did", async () => {
    const ran: string[] = [];
    const run = runJobs([
      ["broken", () => Promise.reject(new Error("D1 unavailable"))],
      ["next", async () => ran.push("next")],
    ]);
    await expect(run).rejects.toThrow("1 of 2 scheduled jobs failed");
    expect(ran).toEqual(["next"]);
    await expect(runJobs([["fine", async () => ran.push("fine")]])).resolves.toBeUndefined();
    expect(ran).toEqual(["next", "fine"]);
  });
});
