// Entry point of `npm run delete`; the command itself is in publish/delete-command.ts.

import { terminalIo } from "./lib/terminal-io";
import { runDelete } from "./publish/delete-command";

process.exitCode = await runDelete(process.argv.slice(2), terminalIo);
