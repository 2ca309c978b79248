// Entry of `npm run preview` (tools/preview/preview-command.ts does the work).
import { terminalIo } from "./lib/terminal-io";
import { runPreview } from "./preview/preview-command";

process.exitCode = await runPreview(process.argv.slice(2), terminalIo);
