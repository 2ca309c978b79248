// Entry of `npm run preview` (tools/preview/preview-command.ts does the work).

import { consoleIo } from "./lib/local-blog";
import { runPreview } from "./preview/preview-command";

process.exitCode = await runPreview(process.argv.slice(2), consoleIo);
