// Entry of `npm run preview` (src/cli/preview-command.ts does the work).

import { consoleIo } from "./local-blog";
import { runPreview } from "./preview-command";

process.exitCode = await runPreview(process.argv.slice(2), consoleIo);
