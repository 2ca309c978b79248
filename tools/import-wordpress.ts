// Entry point of `npm run import:wordpress`; the command is in wordpress/import-command.ts.

import { terminalIo } from "./lib/terminal-io";
import { runImportWordPress } from "./wordpress/import-command";

process.exitCode = await runImportWordPress(process.argv.slice(2), terminalIo);
