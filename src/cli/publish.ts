// Entry point of `npm run publish`; the command itself is in publish-command.ts.
import { runPublish } from "./publish-command";
import { terminalIo } from "./terminal-io";

process.exitCode = await runPublish(process.argv.slice(2), terminalIo);
