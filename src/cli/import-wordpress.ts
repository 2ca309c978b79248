// Entry point of `npm run import:wordpress`; the command is in src/wordpress/import-command.ts.
import { stdin, stdout } from "node:process";
import { createInterface } from "node:readline/promises";
import { runImportWordPress } from "../wordpress/import-command";
import type { CliIo } from "./publish-command";

const io: CliIo = {
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

process.exitCode = await runImportWordPress(process.argv.slice(2), io);
