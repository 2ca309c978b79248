// The terminal as the editor commands talk to it: lines out, errors out, and
// a yes/no question that only a person at a terminal can answer (null without one).
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import type { CliIo } from "../publish/publish-command";

export const terminalIo: CliIo = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  async confirm(question) {
    if (!stdin.isTTY) return null;
    const rl = createInterface({ input: stdin, output: stdout });
    try {
      return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
    } finally {
      rl.close();
    }
  },
};
