// Entry point of `npm run comments`; the command itself is in comments/comments-command.ts.
import { runComments } from "./comments/comments-command";
import { terminalIo } from "./lib/terminal-io";

process.exitCode = await runComments(process.argv.slice(2), terminalIo);
