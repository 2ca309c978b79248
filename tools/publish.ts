// Entry point of `npm run publish`; the command itself is in publish-command.ts.

import { terminalIo } from "./lib/terminal-io";
import { runPublish } from "./publish/publish-command";

process.exitCode = await runPublish(process.argv.slice(2), terminalIo);
