// wrangler dev's output as the dev command shows it: the same, minus what
// repeats or alarms for nothing: the bindings table after the first, and the
// warnings and stack traces of being offline (wrangler fetches request.cf
// data and its update check from the network).
import { createInterface } from "node:readline";
import type { Readable, Writable } from "node:stream";

const NOISE = [/request\.cf/i, /^\s+at\s/, /fetch failed/i, /ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/, /update available|could not check for updates/i];
const BINDINGS = /has access to the following bindings/i;

/** A line filter with memory: a bindings table is printed once. */
export function createOutputFilter(): (line: string) => boolean {
  let seenBindings = false;
  let inBindings = false;
  return (line) => {
    if (BINDINGS.test(line)) {
      inBindings = seenBindings;
      seenBindings = true;
      return !inBindings;
    }
    if (inBindings) {
      // The table ends at the first blank line.
      if (line.trim() === "") inBindings = false;
      return false;
    }
    return !NOISE.some((pattern) => pattern.test(line));
  };
}

/** Copies a stream line by line, leaving out what the filter drops. */
export function pipeFiltered(from: Readable, to: Writable, keep: (line: string) => boolean): void {
  createInterface({ input: from }).on("line", (line) => {
    if (keep(line)) to.write(`${line}\n`);
  });
}
