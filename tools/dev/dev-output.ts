// wrangler dev's output as the dev command shows it: the same, minus what
// repeats or alarms for nothing: the bindings table after the first, and the
// warnings and stack traces of being offline (wrangler fetches request.cf
// data and its update check from the network).
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

const NOISE = [/request\.cf/i, /fetch failed/i, /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/, /update available|could not check for updates/i];
const BINDINGS = /has access to the following bindings/i;

/** A line filter with memory: a bindings table is printed once, an offline warning not at all, with its stack. */
export function createOutputFilter(): (line: string) => boolean {
  let seenBindings = false;
  let skipping: "bindings" | "noise" | null = null;
  return (line) => {
    if (BINDINGS.test(line)) {
      skipping = seenBindings ? "bindings" : null;
      seenBindings = true;
      return skipping === null;
    }
    // A bindings table ends at its first blank line; a warning's stack and cause at the first unindented one.
    if (skipping === "bindings") {
      if (line.trim() === "") skipping = null;
      return false;
    }
    if (skipping === "noise" && (/^\s/.test(line) || line.trim() === "")) return false;
    skipping = NOISE.some((pattern) => pattern.test(line)) ? "noise" : null;
    return skipping === null;
  };
}

/** Copies a stream line by line, leaving out what the filter drops. */
export function pipeFiltered(from: Readable, to: Writable, keep: (line: string) => boolean): void {
  createInterface({ input: from }).on("line", (line) => {
    if (keep(line)) to.write(`${line}\n`);
  });
}
