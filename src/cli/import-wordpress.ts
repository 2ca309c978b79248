// Entry point of `npm run import:wordpress`; the command is in src/wordpress/import-command.ts.
import { runImportWordPress } from "../wordpress/import-command";
import { terminalIo } from "./terminal-io";

process.exitCode = await runImportWordPress(process.argv.slice(2), terminalIo);
