// The terminal as every editor command talks to it: lines out, errors out,
// and a yes/no question that only a person at a terminal can answer (null
// without one). Tests pass their own CliIo that records the lines.
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /** Asks a yes/no question; null when there is no terminal to ask on. */
  confirm(question: string): Promise<boolean | null>;
}

/** The one io of the entry points (tools/<command>.ts). */
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
